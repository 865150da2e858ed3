/**
 * SAFE-PROBE service probes of open TCP ports (HTTP/HTTPS, favicon, ONVIF, RTSP and banner reads),
 * each a bounded exchange over the guarded network whose every outcome becomes an observation.
 */
package org.camaudit.probes.service;
