// TagListTest: the RFC 6376 §3.2 tag-list grammar, the white space it allows and the input it must refuse.
package dev.gatehouse.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TagListTest {

    @Test
    void readsTagsWithTheWhiteSpaceAroundValuesRemovedAndInnerFoldsKept() throws Exception {
        TagList t = TagList.parse(" v=1; a=rsa-sha256;\r\n\td = example.com ; h=from : to;\r\n b=abc\r\n def ;");
        assertThat(t.get("v")).isEqualTo("1");
        assertThat(t.get("d")).isEqualTo("example.com");
        assertThat(t.get("h")).isEqualTo("from : to");
        assertThat(t.get("b")).isEqualTo("abc\r\n def");
        assertThat(t.tags()).extracting(TagList.Tag::name).containsExactly("v", "a", "d", "h", "b");
        assertThat(TagList.withoutWhitespace(t.get("b"))).isEqualTo("abcdef");
    }

    @Test
    void valuesMayHoldEqualsSignsAndBeEmpty() throws Exception {
        TagList t = TagList.parse("bh=YWJj==; p=; z=From:a|Subject:b=3Dx");
        assertThat(t.get("bh")).isEqualTo("YWJj==");
        assertThat(t.get("p")).isEmpty();
        assertThat(t.get("z")).isEqualTo("From:a|Subject:b=3Dx");
    }

    @Test
    void aTrailingSemicolonAndWhiteSpaceAfterItAreAllowed() throws Exception {
        assertThat(TagList.parse("a=1;").tags()).hasSize(1);
        assertThat(TagList.parse("a=1; \t").tags()).hasSize(1);
        assertThat(TagList.parse("a=1;\r\n ").tags()).hasSize(1);
    }

    @Test
    void aDuplicateTagIsASyntaxError() {
        assertThatThrownBy(() -> TagList.parse("v=1; d=a.example; d=b.example"))
                .isInstanceOf(TagSyntaxException.class).hasMessageContaining("duplicate tag d");
    }

    @Test
    void tagNamesAreCaseSensitive() throws Exception {
        TagList t = TagList.parse("d=a.example; D=b.example");
        assertThat(t.get("d")).isEqualTo("a.example");
        assertThat(t.get("D")).isEqualTo("b.example");
    }

    @Test
    void refusesWhatTheGrammarDoesNotAllow() {
        for (String bad : new String[] {"", "   ", ";", "a=1;;b=2", "1a=x", "a", "a 1", "=x", "a=1; b", "a=x y\rz",
                "a=x\ny", "a=x\r\ny", "a=b\u0000c", "_a=1", "a-b=1"}) {
            assertThatThrownBy(() -> TagList.parse(bad)).as("'%s'", bad).isInstanceOf(TagSyntaxException.class);
        }
    }

    @Test
    void recordsWhereEachValueStartsAndItsSpecEnds() throws Exception {
        String text = "a=1; b= xyz ;c=2";
        TagList.Tag b = TagList.parse(text).tag("b");
        assertThat(text.substring(b.valueStart(), b.specEnd())).isEqualTo(" xyz ");
        TagList.Tag c = TagList.parse(text).tag("c");
        assertThat(c.specEnd()).isEqualTo(text.length());
    }

    @Test
    void eightBitOctetsAreAcceptedInValuesButNotInNames() throws Exception {
        assertThat(TagList.parse("i=j\u00f6rg@example.com").get("i")).isEqualTo("j\u00f6rg@example.com");
        assertThatThrownBy(() -> TagList.parse("\u00e9=1")).isInstanceOf(TagSyntaxException.class);
    }
}
