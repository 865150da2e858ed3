/**
 * {@code camaudit agent}: enrolment and pushing the local log's scans to the server over HTTPS
 * with a pinned certificate, resumable from its own record of what was pushed.
 */
package org.camaudit.server.agent;
