package org.camaudit.server.dashboard;

import java.util.Optional;

/** A page that cannot be shown: a status and one line for the person, or a redirect. */
final class PageRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final Optional<String> redirect;

    PageRefusal(int status, String message) {
        super(message);
        this.status = status;
        this.redirect = Optional.empty();
    }

    private PageRefusal(String location) {
        super("see " + location);
        this.status = 303;
        this.redirect = Optional.of(location);
    }

    /** Sends the browser elsewhere (303) instead of a page. */
    static PageRefusal seeOther(String location) {
        return new PageRefusal(location);
    }
}
