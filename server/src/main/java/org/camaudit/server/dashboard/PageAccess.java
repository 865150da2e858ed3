package org.camaudit.server.dashboard;

import io.javalin.security.RouteRole;

/** Who may open a page: anyone (login, the style sheet), a logged-in user, an auditor or admin. */
enum PageAccess implements RouteRole {
    ANYONE, VIEWER, AUDITOR
}
