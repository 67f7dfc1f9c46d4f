// Get-/Set-OrganizationConfig: keys without case, the values Exchange admins type, and the typed settings the gateway reads.
package dev.gatehouse.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class OrganizationConfigTest extends StoreTestBase {
    private OrganizationConfigService config;
    private long contoso;

    @BeforeEach
    void setUp() {
        config = new OrganizationConfigService(store);
        contoso = new TenantService(store).create("Contoso").id();
    }

    @Test
    void theLastSpellingOfAKeyIsKeptAndEitherSpellingReadsIt() {
        config.set(contoso, "rejectdirectsend", "$false");
        OrganizationConfig c = config.set(contoso, "RejectDirectSend", "$true");
        assertThat(c.values()).containsOnlyKeys("RejectDirectSend");
        assertThat(c.values().keySet()).containsExactly("RejectDirectSend");
        assertThat(c.get("REJECTDIRECTSEND")).isEqualTo("$true");
        assertThat(config.set(contoso, "  RejectDirectSend  ", "false").get("rejectDirectSend")).as("blanks around a key").isEqualTo("false");
        assertThat(config.get(contoso).values()).hasSize(1);
    }

    @Test
    void removingAKeyRemovesEverySpellingOfIt() {
        config.set(contoso, "RejectDirectSend", "true");
        config.set(contoso, "Other", "1");
        OrganizationConfig c = config.set(contoso, "REJECTDIRECTSEND", null);
        assertThat(c.values()).containsOnlyKeys("Other");
        assertThat(new Directory(store).settings(contoso)).isEqualTo(OrganizationSettings.DEFAULTS);
    }

    @Test
    void invalidKeysAreRefusedNamingTheKey() {
        for (String bad : new String[] {null, "", "   ", "k".repeat(129)}) {
            assertThatThrownBy(() -> config.set(contoso, bad, "x")).isInstanceOf(ValidationException.class)
                    .hasMessage("Key '" + bad + "' is not a valid organization setting name");
        }
        assertThat(config.set(contoso, "k".repeat(128), "x").values()).hasSize(1);
    }

    @Test
    void anUnknownOrganizationIsNotFoundForReadsAndWrites() {
        assertThatThrownBy(() -> config.get(987_654)).isInstanceOf(NotFoundException.class)
                .hasMessage("The organization with id 987654 couldn't be found");
        assertThatThrownBy(() -> config.set(987_654, "RejectDirectSend", "true")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void booleansReadTheWaysAdminsWriteThemAndAnythingElseIsOff() {
        Map<String, Boolean> readings = new java.util.LinkedHashMap<>();
        for (String v : new String[] {"$true", "$True", "TRUE", " true ", "$false", "False", "yes", "1", "on", ""}) {
            readings.put(v, new OrganizationConfig(1, Map.of("RejectDirectSend", v)).getBoolean("RejectDirectSend", true));
        }
        assertThat(readings).containsExactly(Map.entry("$true", true), Map.entry("$True", true), Map.entry("TRUE", true),
                Map.entry(" true ", true), Map.entry("$false", false), Map.entry("False", false), Map.entry("yes", false),
                Map.entry("1", false), Map.entry("on", false), Map.entry("", false));
        assertThat(new OrganizationConfig(1, Map.of()).getBoolean("RejectDirectSend", true)).as("missing: the default").isTrue();
    }

    @Test
    void theConfigValuesCannotBeChangedBehindTheStoresBack() {
        OrganizationConfig c = config.set(contoso, "RejectDirectSend", "true");
        assertThatThrownBy(() -> c.values().put("RejectDirectSend", "false")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void typedSettingsIgnoreUnrelatedKeysAndReadBothDirectSendSwitches() {
        assertThat(OrganizationSettings.of(new OrganizationConfig(1, Map.of("SomethingElse", "true")))).isEqualTo(OrganizationSettings.DEFAULTS);
        assertThat(OrganizationSettings.of(new OrganizationConfig(1, Map.of("rejectdirectsendheaderfrom", "$true"))))
                .isEqualTo(new OrganizationSettings(false, true));
        assertThat(OrganizationSettings.DEFAULTS.rejectDirectSend()).isFalse();
        assertThat(OrganizationSettings.DEFAULTS.rejectDirectSendHeaderFrom()).isFalse();
        assertThat(OrganizationSettings.REJECT_DIRECT_SEND).isEqualTo("RejectDirectSend");
        assertThat(OrganizationSettings.REJECT_DIRECT_SEND_HEADER_FROM).isEqualTo("RejectDirectSendHeaderFrom");
    }

    @Test
    void theRunningGatewaySeesAChangeAtTheNextMessageAndAnotherTenantNever() {
        long fabrikam = new TenantService(store).create("Fabrikam").id();
        Directory directory = new Directory(store);
        assertThat(directory.settings(contoso).rejectDirectSend()).isFalse();
        config.set(contoso, "REJECTDIRECTSEND", "$TRUE");
        assertThat(directory.settings(contoso).rejectDirectSend()).isTrue();
        assertThat(directory.settings(fabrikam)).isEqualTo(OrganizationSettings.DEFAULTS);
        assertThat(directory.settings(123_456)).as("an unknown tenant reads the defaults").isEqualTo(OrganizationSettings.DEFAULTS);
        config.set(contoso, "RejectDirectSend", null);
        assertThat(directory.settings(contoso).rejectDirectSend()).isFalse();
    }
}
