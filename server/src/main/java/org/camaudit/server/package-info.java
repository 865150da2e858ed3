/**
 * The central camaudit server: a REST API over HTTPS in front of a PostgreSQL store where every
 * scan, device, identification and finding belongs to one site, and the agent that pushes a site's
 * finished scans to it.
 */
package org.camaudit.server;
