package org.camaudit.server.db;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class one throwaway PostgreSQL cluster ({@link LocalPostgres}), stopped and deleted
 * after the class. Where PostgreSQL is not installed the tests are skipped with the reason, except
 * under CI ({@code CI=true}), where that fails them.
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(
            PostgresExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        requireInstalled();
        context.getStore(NS).getOrComputeIfAbsent("pg", k -> new Cluster(LocalPostgres.start()),
                Cluster.class);
    }

    /** Skips (or under CI fails) when PostgreSQL is missing. */
    public static void requireInstalled() {
        LocalPostgres.unavailableReason().ifPresent(reason -> {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(reason);
            }
            Assumptions.abort(reason);
        });
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == LocalPostgres.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return c.getStore(NS).get("pg", Cluster.class).pg();
    }

    private record Cluster(LocalPostgres pg) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            pg.close();
        }
    }
}
