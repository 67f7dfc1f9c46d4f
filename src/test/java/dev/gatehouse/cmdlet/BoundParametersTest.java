// What a handler sees: a parameter cleared with $null is present without a value, switches and Booleans are
// "set" only when true, -Confirm's three states, and -WhatIf lines collected in statement order.
package dev.gatehouse.cmdlet;

import static dev.gatehouse.cmdlet.BinderTest.GET_CONNECTOR;
import static dev.gatehouse.cmdlet.BinderTest.NEW_DOMAIN;
import static dev.gatehouse.cmdlet.BinderTest.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoundParametersTest {
    @Test void aParameterClearedWithNullIsPresentWithoutAValue() {
        BoundParameters p = ok(GET_CONNECTOR, "-Comment $null");
        assertThat(p.has("comment")).isTrue();
        assertThat(p.get("Comment")).isNull();
        assertThat(p.find("Comment", String.class)).isEmpty();
        assertThat(p.has("Name")).isFalse();
        assertThat(p.toString()).isEqualTo("Get-InboundConnector {Comment=null}");
    }

    @Test void onlyATrueBooleanCountsAsSet() {
        assertThat(ok(NEW_DOMAIN, "x -DomainName a.com -Force").isSet("force")).isTrue();
        assertThat(ok(NEW_DOMAIN, "x -DomainName a.com -MatchSubDomains 0").isSet("MatchSubDomains")).isFalse();
        assertThat(ok(GET_CONNECTOR, "-Comment True").isSet("Comment")).as("the text True is no switch").isFalse();
        assertThatThrownBy(() -> ok(GET_CONNECTOR, "-Comment 5").get("Comment", Integer.class))
                .isInstanceOf(ClassCastException.class);
    }

    @Test void confirmHasThreeStatesAndNeitherItNorWhatIfAppearsAmongTheValues() {
        assertThat(ok(NEW_DOMAIN, "x -DomainName a.com -Confirm").confirm()).contains(true);
        assertThat(ok(NEW_DOMAIN, "x -DomainName a.com -cf:$false").confirm()).contains(false);
        assertThat(ok(NEW_DOMAIN, "x -DomainName a.com").confirm()).isEmpty();
        BoundParameters p = ok(NEW_DOMAIN, "x -DomainName a.com -WhatIf:$false");
        assertThat(p.whatIf()).isFalse();
        assertThat(p.asMap()).containsOnlyKeys("Name", "DomainName");
        assertThatThrownBy(() -> p.asMap().put("Name", "changed")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test void whatIfLinesComeOnePerObjectInTheOrderTheStatementsRan() {
        SampleOrg org = new SampleOrg();
        RunResult r = org.runOk("Get-AcceptedDomain | select -First 2 | Set-AcceptedDomain -Priority 50 -WhatIf\n"
                + "Get-AcceptedDomain tailspintoys.com | select Identity\n"
                + "Set-AcceptedDomain tailspintoys.com -MatchSubDomains $true -WhatIf");
        assertThat(r.whatIf()).containsExactly(
                "What if: Performing the operation \"Set accepted domain\" on target \"contoso.com\".",
                "What if: Performing the operation \"Set accepted domain\" on target \"fabrikam.com\".",
                "What if: Performing the operation \"Set accepted domain\" on target \"tailspintoys.com\".");
        String out = r.output();
        assertThat(out.indexOf("target \"fabrikam.com\"")).isLessThan(out.indexOf("Identity : tailspintoys.com"));
        assertThat(out.indexOf("Identity : tailspintoys.com")).isLessThan(out.indexOf("target \"tailspintoys.com\""));
        assertThat(org.domains.values()).containsExactly(SampleOrg.CONTOSO, SampleOrg.FABRIKAM, SampleOrg.TAILSPIN);
        assertThat(org.calls).containsExactly("get", "get");
    }
}
