// FieldNamesTest: every field of the mail flow forms is a parameter of the cmdlets the form runs, spelt as Exchange spells it.
package dev.gatehouse.web.pages.mailflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gatehouse.admin.AdminCmdlets;
import dev.gatehouse.cmdlet.ParameterDefinition;

class FieldNamesTest {
    private static List<String> parameters(String cmdlet) {
        return AdminCmdlets.registry().find(cmdlet).orElseThrow().allParameters().stream().map(ParameterDefinition::name).toList();
    }

    private static void assertParameters(List<Section> sections, String... cmdlets) {
        List<String> names = Section.fields(sections).stream().map(Field::name).toList();
        assertThat(names).doesNotHaveDuplicates();
        for (String cmdlet : cmdlets) assertThat(parameters(cmdlet)).as(cmdlet).containsAll(names);
    }

    @Test void theConnectorFormSetsParametersOfNewAndSetInboundConnector() {
        assertParameters(ConnectorPages.SECTIONS, "New-InboundConnector", "Set-InboundConnector");
    }

    @Test void theRuleFormSetsParametersOfNewAndSetTransportRule() {
        assertParameters(RuleForm.SECTIONS, "New-TransportRule", "Set-TransportRule");
    }

    @Test void theDomainFormsSetParametersOfTheirCmdlets() {
        assertParameters(DomainPages.ADD, "New-AcceptedDomain");
        assertParameters(DomainPages.CHANGE, "Set-AcceptedDomain");
    }
}
