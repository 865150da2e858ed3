package org.camaudit.server.db;

import java.util.Objects;
import java.util.Optional;

/**
 * Who a request's token belongs to: a user with a role, or a site's agent (which may only write
 * its own site and read nothing).
 *
 * @param id the user's or the agent's id
 * @param role a user's role; empty for an agent
 * @param siteId an agent's site; empty for a user
 */
public record Principal(Kind kind, long id, String name, Optional<Role> role,
        Optional<Long> siteId) {
    /** A user or an agent. */
    public enum Kind {
        USER, AGENT
    }

    public Principal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (kind == Kind.USER && (role.isEmpty() || siteId.isPresent())) {
            throw new IllegalArgumentException("a user has a role and no site");
        }
        if (kind == Kind.AGENT && (role.isPresent() || siteId.isEmpty())) {
            throw new IllegalArgumentException("an agent has a site and no role");
        }
    }

    /** How the audit log names it: {@code user:alice}, {@code agent:7}. */
    public String actor() {
        return kind == Kind.USER ? "user:" + name : "agent:" + id;
    }
}
