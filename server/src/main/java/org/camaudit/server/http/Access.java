package org.camaudit.server.http;

import io.javalin.security.RouteRole;
import java.util.Optional;
import org.camaudit.server.db.Role;

/**
 * Who may call a route: anyone (health, enrolment), an agent, a user of at least a role, or (SITE)
 * a viewer or an agent, where the handler keeps the agent to its own site.
 */
enum Access implements RouteRole {
    ANYONE(Optional.empty()), AGENT(Optional.empty()), VIEWER(Optional.of(Role.VIEWER)), ADMIN(
            Optional.of(Role.ADMIN)), SITE(Optional.of(Role.VIEWER));

    /** The least role a user needs; empty for {@link #ANYONE} and {@link #AGENT}. */
    final Optional<Role> least;

    Access(Optional<Role> least) {
        this.least = least;
    }
}
