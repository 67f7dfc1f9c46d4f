// Mail flow › Connectors: the organization's inbound connectors listed, created, changed, turned on and off, and removed.
package dev.gatehouse.web.pages.mailflow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import dev.gatehouse.admin.AdminCmdlets;
import dev.gatehouse.connector.ConnectorType;
import dev.gatehouse.connector.InboundConnector;
import dev.gatehouse.connector.InboundConnectorService;
import dev.gatehouse.web.AdminCentre;
import dev.gatehouse.web.pages.mailflow.Field.Kind;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * {@code /mailflow/connectors}: reads through {@link InboundConnectorService} (scoped by the session's organization);
 * every change runs New-, Set- or Remove-InboundConnector. A connector is addressed by its Guid.
 */
public final class ConnectorPages implements AdminCentre.PageModule {
    static final String LIST = "/mailflow/connectors";

    static final List<Section> SECTIONS = List.of(
            Section.of("Connector", null,
                    Field.required("Name", "Name", "Unique in the organization; message trace shows it."),
                    Field.choice("ConnectorType", "Connector type", "Partner: a partner or a third-party service (a scanner, an "
                            + "app, a filtering MX). OnPremises: your own mail servers.",
                            List.of(ConnectorType.Partner.name(), ConnectorType.OnPremises.name())),
                    Field.of("Enabled", "Enabled", Kind.CHECK, "Off: the connector is kept but ignored."),
                    Field.of("Comment", "Comment", Kind.NOTE, null)),
            Section.of("Which mail it is for", "Mail is matched to the connector by the sending server's IP address or its "
                            + "TLS certificate, for these sender (MAIL FROM) domains.",
                    Field.of("SenderDomains", "Sender domains", Kind.LINES, "One per line: contoso.com, *.contoso.com (with its "
                            + "subdomains) or * (every domain)."),
                    Field.of("SenderIPAddresses", "Sender IP addresses", Kind.LINES, "One per line: an IPv4 address "
                            + "(198.51.100.7) or a CIDR block /24 to /32 (192.0.2.0/24)."),
                    Field.of("TlsSenderCertificateName", "TLS certificate name", Kind.TEXT, "The name the sender's certificate "
                            + "must carry: mail.contoso.com or *.contoso.com."),
                    Field.of("TlsSenderCertificateThumbprint", "TLS certificate SHA-256 fingerprint", Kind.TEXT, "Pins one "
                            + "certificate (64 hex digits). Beyond Exchange."),
                    Field.of("AssociatedAcceptedDomains", "Only for these accepted domains", Kind.LINES, "One per line. Empty: "
                            + "every accepted domain.")),
            Section.of("Restrictions", null,
                    Field.of("RequireTls", "Require TLS", Kind.CHECK, "Refuse this connector's mail sent without STARTTLS "
                            + "(530 5.7.0)."),
                    Field.of("RestrictDomainsToIPAddresses", "Accept the sender domains only from these IP addresses",
                            Kind.CHECK, "Partner only. Anyone else gets 550 5.7.51."),
                    Field.of("RestrictDomainsToCertificate", "Accept the sender domains only with this certificate", Kind.CHECK,
                            "Partner only. Anyone else gets 550 5.7.51.")),
            Section.of("Your own servers (OnPremises)", null,
                    Field.of("TreatMessagesAsInternal", "Treat messages as internal", Kind.CHECK, "Their mail bypasses "
                            + "anti-spam filtering, as Exchange warns."),
                    Field.of("CloudServicesMailEnabled", "Hybrid: keep cross-premises headers", Kind.CHECK, "What the Hybrid "
                            + "Configuration Wizard sets.")),
            Section.of("Enhanced Filtering", "When your MX points to a filtering service in front of Gatehouse: skip its hops "
                            + "in the Received fields, so SPF, DMARC and rules on sender IP addresses judge the original sender.",
                    Field.of("EFSkipLastIP", "Skip only the last hop", Kind.CHECK, "The server that connects to Gatehouse. "
                            + "Otherwise the addresses below are skipped."),
                    Field.of("EFSkipIPs", "IP addresses to skip", Kind.LINES, "One per line: the service's public addresses "
                            + "(192.0.2.25, 192.0.2.1-192.0.2.254, 192.0.2.0/24 or IPv6). Private addresses are always skipped. "
                            + "Empty, without the box above: Enhanced Filtering is off."),
                    Field.of("EFUsers", "Only for these recipients", Kind.LINES, "One address per line, for messages whose "
                            + "recipients are all listed. Empty: every recipient.")));
    static final List<Field> FIELDS = Section.fields(SECTIONS);

    /** The connectors page's model. {@code outbound} says where outbound mail goes instead of outbound connectors. */
    public record ListView(List<InboundConnector> connectors, String outbound) {}

    /** A connector's form: {@code guid} null for a new one. */
    public record Edit(String guid, String name, List<Section> sections, Form form) {
        public String action() { return guid == null ? LIST : LIST + "/" + guid; }
    }

    @Override public void mount(JavalinConfig config, AdminCentre centre) {
        config.routes.get(LIST, ctx -> list(centre, ctx));
        config.routes.get(LIST + "/new", ctx -> form(centre, ctx, new Edit(null, null, SECTIONS, Form.of(defaults()))));
        config.routes.post(LIST, ctx -> create(centre, ctx));
        config.routes.get(LIST + "/{guid}", on(centre, (ctx, c) -> form(centre, ctx, new Edit(c.Guid(), c.Name(), SECTIONS,
                Form.of(values(c))))));
        config.routes.post(LIST + "/{guid}", on(centre, (ctx, c) -> change(centre, ctx, c)));
        config.routes.post(LIST + "/{guid}/enabled", on(centre, (ctx, c) -> enable(centre, ctx, c)));
        config.routes.post(LIST + "/{guid}/delete", on(centre, (ctx, c) -> Changes.run(centre, ctx, "Remove-InboundConnector",
                Map.of("Identity", c.Guid()), "Removed the connector " + c.Name() + ".", LIST, Changes.backTo(centre, ctx, LIST))));
    }

    private static InboundConnectorService service(AdminCentre centre) { return new InboundConnectorService(centre.services().store()); }

    /** A handler for the connector whose Guid the URL holds, in the session's organization. */
    private static Handler on(AdminCentre centre, BiConsumer<Context, InboundConnector> then) {
        return Changes.on(centre, "connectors", (c, ctx) -> service(c).get(c.tenant(ctx).id(), ctx.pathParam("guid")), then);
    }

    private static void list(AdminCentre centre, Context ctx) {
        List<InboundConnector> all = service(centre).list(centre.tenant(ctx).id());
        String outbound = AdminCmdlets.EXCHANGE_ONLINE_NOT_YET.get("Get-OutboundConnector");
        centre.render(ctx, "mailflow/connectors.jte", Map.of("page", centre.page(ctx, "Connectors", "connectors"),
                "view", new ListView(all, outbound)));
    }

    private static void form(AdminCentre centre, Context ctx, Edit edit) {
        String title = edit.guid() == null ? "New inbound connector" : "Inbound connector " + edit.name();
        centre.render(ctx, "mailflow/connector.jte", Map.of("page", centre.page(ctx, title, "connectors"), "edit", edit));
    }

    private static void shownAgain(AdminCentre centre, Context ctx, Edit edit) {
        ctx.status(400);
        form(centre, ctx, edit);
    }

    private static void create(AdminCentre centre, Context ctx) {
        Form form = Form.posted(ctx, FIELDS);
        Changes.run(centre, ctx, "New-InboundConnector", form.parameters(FIELDS, false),
                "Created the connector " + form.value("Name") + ".", LIST,
                r -> shownAgain(centre, ctx, new Edit(null, null, SECTIONS, form.failed(r, FIELDS))));
    }

    private static void change(AdminCentre centre, Context ctx, InboundConnector c) {
        Form form = Form.posted(ctx, FIELDS);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Identity", c.Guid());
        p.putAll(form.parameters(FIELDS, true));
        Changes.run(centre, ctx, "Set-InboundConnector", p, "Saved the connector " + form.value("Name") + ".", LIST,
                r -> shownAgain(centre, ctx, new Edit(c.Guid(), c.Name(), SECTIONS, form.failed(r, FIELDS))));
    }

    private static void enable(AdminCentre centre, Context ctx, InboundConnector c) {
        boolean on = Form.TICKED.equals(ctx.formParam("Enabled"));
        Changes.run(centre, ctx, "Set-InboundConnector", Map.of("Identity", c.Guid(), "Enabled", on),
                (on ? "Turned on" : "Turned off") + " the connector " + c.Name() + ".", LIST, Changes.backTo(centre, ctx, LIST));
    }

    /** A new connector's form: Exchange's defaults (Partner, enabled). */
    private static Map<String, String> defaults() {
        return Map.of("ConnectorType", ConnectorType.Partner.name(), "Enabled", Form.TICKED);
    }

    /** A connector as its form shows it. */
    static Map<String, String> values(InboundConnector c) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("Name", c.Name());
        v.put("ConnectorType", c.ConnectorType().name());
        v.put("Enabled", Form.ticked(c.Enabled()));
        v.put("Comment", c.Comment() == null ? "" : c.Comment());
        v.put("SenderDomains", Form.lines(c.SenderDomains()));
        v.put("SenderIPAddresses", Form.lines(c.SenderIPAddresses()));
        v.put("TlsSenderCertificateName", c.TlsSenderCertificateName() == null ? "" : c.TlsSenderCertificateName());
        v.put("TlsSenderCertificateThumbprint", c.TlsSenderCertificateThumbprint() == null ? "" : c.TlsSenderCertificateThumbprint());
        v.put("AssociatedAcceptedDomains", Form.lines(c.AssociatedAcceptedDomains()));
        v.put("RequireTls", Form.ticked(c.RequireTls()));
        v.put("RestrictDomainsToIPAddresses", Form.ticked(c.RestrictDomainsToIPAddresses()));
        v.put("RestrictDomainsToCertificate", Form.ticked(c.RestrictDomainsToCertificate()));
        v.put("TreatMessagesAsInternal", Form.ticked(c.TreatMessagesAsInternal()));
        v.put("CloudServicesMailEnabled", Form.ticked(c.CloudServicesMailEnabled()));
        v.put("EFSkipLastIP", Form.ticked(c.EFSkipLastIP()));
        v.put("EFSkipIPs", Form.lines(c.EFSkipIPs()));
        v.put("EFUsers", Form.lines(c.EFUsers()));
        return v;
    }
}
