// The built-in cmdlets run through the PipelineRunner: Select-Object's -Skip/-First/-Last as PowerShell counts
// them, -ExpandProperty and missing properties, Get-Command's filters, Get-Help's list, Format-* on empty or
// scalar input, and ConvertTo-Json's parameters.
package dev.gatehouse.cmdlet;

import static dev.gatehouse.cmdlet.SampleOrg.CONTOSO;
import static dev.gatehouse.cmdlet.SampleOrg.FABRIKAM;
import static dev.gatehouse.cmdlet.SampleOrg.TAILSPIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuiltinsTest {
    final SampleOrg org = new SampleOrg();

    List<Object> objects(String script) { return org.runOk(script).objects(); }

    String onlyError(String script) {
        RunResult r = org.run(script);
        assertThat(r.errors()).as(script).hasSize(1);
        return r.errors().getFirst().formatted();
    }

    @Test void skipAndFirstTakeAWindowFromTheStart() {
        assertThat(objects("Get-AcceptedDomain | Select-Object -Skip 1 -First 1")).containsExactly(FABRIKAM);
        assertThat(objects("Get-AcceptedDomain | select -Skip 1")).containsExactly(FABRIKAM, TAILSPIN);
        assertThat(objects("Get-AcceptedDomain | select -First 5")).containsExactly(CONTOSO, FABRIKAM, TAILSPIN);
    }

    @Test void withLastTheSkipCountsFromTheEndAsInPowerShell() {
        // PowerShell: 1..10 | Select-Object -Last 3 -Skip 1 gives 7, 8, 9
        List<Object> numbers = new ArrayList<>(Arrays.asList(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        assertThat(Builtins.window(numbers, 1, null, 3)).containsExactly(7, 8, 9);
        assertThat(objects("Get-AcceptedDomain | select -Last 1 -Skip 1")).containsExactly(FABRIKAM);
        assertThat(objects("Get-AcceptedDomain | select -Last 2")).containsExactly(FABRIKAM, TAILSPIN);
        assertThat(objects("Get-AcceptedDomain | select -Last 1 -Skip 5")).isEmpty();
    }

    @Test void firstAndLastTogetherKeepBothEndsEachObjectOnce() {
        // PowerShell: 1..10 | Select-Object -First 3 -Last 2 gives 1, 2, 3, 9, 10
        List<Object> numbers = new ArrayList<>(Arrays.asList(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        assertThat(Builtins.window(numbers, 0, 3, 2)).containsExactly(1, 2, 3, 9, 10);
        assertThat(Builtins.window(numbers, 1, 3, 2)).containsExactly(2, 3, 4, 9, 10);
        assertThat(objects("Get-AcceptedDomain | select -First 1 -Last 1")).containsExactly(CONTOSO, TAILSPIN);
        assertThat(objects("Get-AcceptedDomain | select -First 2 -Last 2")).containsExactly(CONTOSO, FABRIKAM, TAILSPIN);
    }

    @Test void zeroCountsSelectNothingAndNegativeCountsAreRefused() {
        assertThat(objects("Get-AcceptedDomain | select -First 0")).isEmpty();
        assertThat(objects("Get-AcceptedDomain | select -Last 0")).isEmpty();
        assertThat(objects("Get-AcceptedDomain | select -First 0 -Last 1")).containsExactly(TAILSPIN);
        org.calls.clear();
        assertThat(onlyError("Get-AcceptedDomain | select -First -1")).isEqualTo("Select-Object: Cannot validate argument "
                + "on parameter 'First'. The -1 argument is less than the minimum allowed range of 0. Supply an argument "
                + "that is greater than or equal to 0 and then try the command again.");
        assertThat(org.calls).as("the pipeline is bound before anything runs").isEmpty();
    }

    @Test void expandPropertyOutputsValuesAndSkipsNulls() {
        assertThat(objects("Get-AcceptedDomain | select -ExpandProperty identity"))
                .containsExactly("contoso.com", "fabrikam.com", "tailspintoys.com");
        assertThat(objects("Get-AcceptedDomain | select -ExpandProperty MaxMessageSize"))
                .containsExactly(CONTOSO.maxMessageSize(), FABRIKAM.maxMessageSize());
        assertThat(org.runOk("Get-AcceptedDomain | select -ExpandProperty Priority").output()).isEqualTo("0\n1\n2\n");
    }

    @Test void expandingAMissingPropertyNamesTheValidOnes() {
        assertThat(onlyError("Get-AcceptedDomain contoso.com | select -ExpandProperty Name")).isEqualTo("Select-Object: "
                + "Property \"Name\" cannot be found. Valid properties are: Identity, DomainType, MatchSubDomains, "
                + "Priority, MaxMessageSize, WhenCreated.");
        assertThat(onlyError("Get-AcceptedDomain | select -ExpandProperty Identity | select -ExpandProperty Domain"))
                .isEqualTo("Select-Object: Property \"Domain\" cannot be found. The input object contoso.com has no properties.");
    }

    @Test void selectingAPropertyTheObjectLacksGivesAnEmptyColumnAsInPowerShell() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Identity", "contoso.com");
        expected.put("Nope", null);
        assertThat(objects("Get-AcceptedDomain contoso.com | select Identity,Nope")).containsExactly(expected);
        assertThat(objects("Get-AcceptedDomain contoso.com | select identity,*Size,identity")).singleElement()
                .isEqualTo(Map.of("Identity", "contoso.com", "MaxMessageSize", CONTOSO.maxMessageSize()));
    }

    @Test void selectedObjectsStillPipeIntoASetterByPropertyName() {
        org.runOk("Get-AcceptedDomain | select Identity -Last 1 | Set-AcceptedDomain -Priority 9");
        assertThat(org.domains.get("tailspintoys.com").priority()).isEqualTo(9);
        assertThat(org.calls).containsExactly("get", "set tailspintoys.com");
    }

    static List<String> names(List<Object> commands) {
        return commands.stream().map(o -> ((CommandInfo) o).name()).toList();
    }

    @Test void getCommandFiltersByVerbNounAndWildcardsIgnoringCase() {
        assertThat(names(objects("Get-Command -Verb set"))).containsExactly("Set-AcceptedDomain");
        assertThat(names(objects("Get-Command -Verb Get -Noun *domain"))).containsExactly("Get-AcceptedDomain");
        assertThat(names(objects("gcm -Noun Object"))).containsExactly("Select-Object");
        assertThat(names(objects("gcm ?et-*"))).containsExactly("Get-AcceptedDomain", "Get-Command", "Get-Help",
                "Set-AcceptedDomain");
        assertThat(names(objects("gcm fl"))).as("an alias finds its cmdlet").containsExactly("Format-List");
        assertThat(objects("gcm *-Mailbox")).as("a wildcard that matches nothing is no error").isEmpty();
    }

    @Test void getCommandNamingACmdletThatDoesNotExistIsANotFoundError() {
        RunResult r = org.run("Get-Command Get-AcceptedDomain, Get-AcceptedDomian");
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.formatted()).isEqualTo("Get-Command: The term 'Get-AcceptedDomian' is not recognized as a name "
                    + "of a cmdlet. Check the spelling of the name, or run Get-Command to list the cmdlets Gatehouse "
                    + "supports. Did you mean Get-AcceptedDomain?");
            assertThat(e.notFound()).isTrue();
        });
    }

    @Test void getCommandSyntaxShowsEveryMatchingCmdlet() {
        assertThat(org.runOk("Get-Command Format-* -Syntax").output()).isEqualTo(
                "Format-List [[-Property] <String[]>] [<CommonParameters>]\n"
                + "Format-Table [[-Property] <String[]>] [-AutoSize] [<CommonParameters>]\n");
    }

    @Test void getHelpWithoutANameListsEveryCmdletSortedWithItsSynopsis() {
        String out = org.runOk("Get-Help").output();
        assertThat(out).startsWith("Gatehouse cmdlets. Run Get-Help NAME for the syntax and parameters of one.\n\n"
                + "ConvertTo-Json      Converts objects to JSON text: one object, or an array for several.\n"
                + "Export-Csv          Writes objects to a CSV file");
        assertThat(out).contains("\nGet-AcceptedDomain  Lists the organization's accepted domains.\n"
                + "Get-Command         Lists the cmdlets Gatehouse supports, with their parameters.\n");
        assertThat(out).endsWith("\nSet-AcceptedDomain  Changes an accepted domain.\n");
        assertThat(org.runOk("help gcm").output()).startsWith("NAME\n    Get-Command\n");
        assertThat(org.runOk("Get-Help Get\u2014AcceptedDomain").output()).startsWith("NAME\n    Get-AcceptedDomain\n");
    }

    @Test void formattingNothingPrintsNothing() {
        assertThat(org.runOk("Get-AcceptedDomain | select -First 0 | Format-Table").output()).isEmpty();
        assertThat(org.runOk("Get-AcceptedDomain | select -First 0 | Format-List").output()).isEmpty();
        assertThat(org.runOk("Format-Table").objects()).isEmpty();
    }

    @Test void aTableOfScalarsPrintsOnePerLine() {
        assertThat(org.runOk("Get-AcceptedDomain | select -ExpandProperty Identity | ft").output())
                .isEqualTo("contoso.com\nfabrikam.com\ntailspintoys.com\n");
    }

    @Test void convertToJsonWritesExchangeValuesAndKeepsItsDepthInRange() throws Exception {
        JsonNode one = new ObjectMapper().readTree(org.runOk("Get-AcceptedDomain contoso.com | ConvertTo-Json").output());
        assertThat(one.get("DomainType").asText()).isEqualTo("Authoritative");
        assertThat(one.get("MaxMessageSize").asText()).isEqualTo("35 MB (36,700,160 bytes)");
        assertThat(one.get("MatchSubDomains").isBoolean()).isTrue();
        assertThat(org.runOk("Get-AcceptedDomain | select -ExpandProperty Identity | ConvertTo-Json -Compress").output())
                .isEqualTo("[\"contoso.com\",\"fabrikam.com\",\"tailspintoys.com\"]\n");
        assertThat(org.runOk("Get-AcceptedDomain contoso.com | select Identity | ConvertTo-Json -AsArray -Compress").output())
                .isEqualTo("[{\"Identity\":\"contoso.com\"}]\n");
        assertThat(org.runOk("Get-AcceptedDomain | select -First 0 | ConvertTo-Json -AsArray").output()).isEqualTo("[]\n");
        assertThat(onlyError("Get-AcceptedDomain | ConvertTo-Json -Depth 101")).isEqualTo("ConvertTo-Json: Cannot validate "
                + "argument on parameter 'Depth'. The 101 argument is greater than the maximum allowed range of 100. "
                + "Supply an argument that is less than or equal to 100 and then try the command again.");
    }
}
