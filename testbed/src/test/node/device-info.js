// Realism check for the camaudit testbed: the npm ONVIF client reads device information from a
// simulated device by unicast, with no credentials. Usage: node device-info.js <address> <port>
'use strict';
const { Cam } = require('onvif');

const [hostname, port] = process.argv.slice(2);
if (!hostname || !port) {
  console.error('usage: node device-info.js <address> <port>');
  process.exit(2);
}
const cam = new Cam({ hostname, port: Number(port), autoconnect: false, timeout: 5000 });
cam.getSystemDateAndTime((err, time) => {
  if (err) {
    console.error('getSystemDateAndTime failed: ' + err.message);
    process.exit(1);
  }
  cam.getDeviceInformation((err2, info) => {
    if (err2) {
      console.error('getDeviceInformation failed: ' + err2.message);
      process.exit(1);
    }
    console.log(JSON.stringify({ systemDateAndTime: time.toISOString(), deviceInformation: info }));
  });
});
