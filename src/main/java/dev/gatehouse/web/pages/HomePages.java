// Home: the organization at a glance (mail by outcome, the Direct Send panel).
package dev.gatehouse.web.pages;

import java.util.Map;

import dev.gatehouse.web.AdminCentre;
import io.javalin.config.JavalinConfig;

/** {@code GET /}: the home page. */
public final class HomePages implements AdminCentre.PageModule {
    @Override public void mount(JavalinConfig config, AdminCentre centre) {
        config.routes.get("/", ctx -> centre.render(ctx, "home.jte", Map.of("page", centre.page(ctx, "Home", "home"))));
    }
}
