// Mail flow › Accepted domains: the organization's domains listed, added, their type changed, and removed.
package dev.gatehouse.web.pages.mailflow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import dev.gatehouse.directory.AcceptedDomain;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.web.AdminCentre;
import dev.gatehouse.web.pages.mailflow.Field.Kind;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * {@code /mailflow/domains}: reads through the accepted-domain service (scoped by the session's organization); every
 * change runs New-, Set- or Remove-AcceptedDomain. A domain is addressed by its DomainName.
 */
public final class DomainPages implements AdminCentre.PageModule {
    static final String LIST = "/mailflow/domains";

    private static final Field DOMAIN_TYPE = Field.choice("DomainType", "Domain type", "Authoritative: every recipient must "
            + "be a mailbox here (others get 550 5.4.1). InternalRelay: unknown recipients are accepted too.",
            List.of(DomainType.Authoritative.name(), DomainType.InternalRelay.name()));
    private static final Field MATCH_SUB_DOMAINS = Field.of("MatchSubDomains", "Match subdomains", Kind.CHECK,
            "Subdomains count as this domain. InternalRelay domains only.");

    static final List<Section> ADD = List.of(Section.of("Add a domain", null,
            Field.required("Name", "Name", "Usually the domain name itself."),
            Field.required("DomainName", "Domain name", "e.g. contoso.com."), DOMAIN_TYPE, MATCH_SUB_DOMAINS));
    static final List<Section> CHANGE = List.of(Section.of("Domain", null, DOMAIN_TYPE, MATCH_SUB_DOMAINS));

    /** The domains page: the list and the form that adds one. */
    public record ListView(List<AcceptedDomain> domains, List<Section> add, Form form) {}

    /** A domain's form. */
    public record Edit(AcceptedDomain domain, List<Section> sections, Form form) {}

    @Override public void mount(JavalinConfig config, AdminCentre centre) {
        config.routes.get(LIST, ctx -> list(centre, ctx, Form.of(Map.of("DomainType", DomainType.Authoritative.name()))));
        config.routes.post(LIST, ctx -> create(centre, ctx));
        config.routes.get(LIST + "/{domain}", on(centre, (ctx, d) -> form(centre, ctx, new Edit(d, CHANGE, Form.of(Map.of(
                "DomainType", d.DomainType().name(), "MatchSubDomains", Form.ticked(d.MatchSubDomains())))))));
        config.routes.post(LIST + "/{domain}", on(centre, (ctx, d) -> change(centre, ctx, d)));
        config.routes.post(LIST + "/{domain}/delete", on(centre, (ctx, d) -> Changes.run(centre, ctx, "Remove-AcceptedDomain",
                Map.of("Identity", d.DomainName()), "Removed the domain " + d.DomainName() + ".", LIST, Changes.backTo(centre, ctx, LIST))));
    }

    /** A handler for the accepted domain whose DomainName the URL holds, in the session's organization. */
    private static Handler on(AdminCentre centre, BiConsumer<Context, AcceptedDomain> then) {
        return Changes.on(centre, "domains", (c, ctx) -> c.services().domains().get(c.tenant(ctx).id(), ctx.pathParam("domain")), then);
    }

    private static void list(AdminCentre centre, Context ctx, Form add) {
        List<AcceptedDomain> all = centre.services().domains().list(centre.tenant(ctx).id());
        centre.render(ctx, "mailflow/domains.jte", Map.of("page", centre.page(ctx, "Accepted domains", "domains"),
                "view", new ListView(all, ADD, add)));
    }

    private static void create(AdminCentre centre, Context ctx) {
        List<Field> fields = Section.fields(ADD);
        Form form = Form.posted(ctx, fields);
        Changes.run(centre, ctx, "New-AcceptedDomain", form.parameters(fields, false), "Added the domain " + form.value("DomainName") + ".",
                LIST, r -> {
                    ctx.status(400);
                    list(centre, ctx, form.failed(r, fields));
                });
    }

    private static void form(AdminCentre centre, Context ctx, Edit edit) {
        centre.render(ctx, "mailflow/domain.jte", Map.of("page", centre.page(ctx, "Accepted domain " + edit.domain().DomainName(), "domains"),
                "edit", edit));
    }

    private static void change(AdminCentre centre, Context ctx, AcceptedDomain d) {
        List<Field> fields = Section.fields(CHANGE);
        Form form = Form.posted(ctx, fields);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Identity", d.DomainName());
        p.putAll(form.parameters(fields, true));
        Changes.run(centre, ctx, "Set-AcceptedDomain", p, "Saved the domain " + d.DomainName() + ".", LIST, r -> {
            ctx.status(400);
            form(centre, ctx, new Edit(d, CHANGE, form.failed(r, fields)));
        });
    }
}
