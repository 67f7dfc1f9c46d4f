// The columnar store under the hunting tables: what a snapshot sees, how chunks pack, and retention.
package dev.gatehouse.kql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.kql.ColumnarTable.Column;
import dev.gatehouse.kql.ColumnarTable.GuidData;
import dev.gatehouse.kql.ColumnarTable.StringData;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ColumnarTableTest {
    static final List<Column> SCHEMA = List.of(new Column("Timestamp", KqlType.DATETIME), new Column("Id", KqlType.STRING),
            new Column("Kind", KqlType.STRING), new Column("Size", KqlType.INT), new Column("Score", KqlType.REAL));

    @Test
    void aSnapshotSeesTheRowsAppendedBeforeItAndNoneAfter() {
        ColumnarTable t = new ColumnarTable("T", SCHEMA, "Timestamp", 4);
        for (int i = 0; i < 6; i++) t.append(Instant.ofEpochSecond(i), "id" + i, "k", i, 1.5);
        ColumnarTable.Snapshot before = t.snapshot();
        for (int i = 6; i < 20; i++) t.append(Instant.ofEpochSecond(i), "id" + i, "k" + i, i, null);
        assertThat(before.rows()).isEqualTo(6);
        ColumnarTable.Chunk open = before.chunks().get(1);
        assertThat(((StringData) open.columns[1]).value(1)).isEqualTo("id5");
        assertThat(((StringData) open.columns[1]).dictSize()).isEqualTo(2);
        assertThat(t.snapshot().rows()).isEqualTo(20);
    }

    @Test
    void sealedChunksPackCodesByDictionarySizeAndKeepNoCodesForOneValue() {
        ColumnarTable t = new ColumnarTable("T", SCHEMA, "Timestamp", 1000);
        for (int i = 0; i < 1000; i++) t.append(Instant.ofEpochSecond(i), "id" + (i % 300), "same", i, (double) i);
        ColumnarTable.Chunk c = t.snapshot().chunks().get(0);
        StringData ids = (StringData) c.columns[1];
        assertThat(ids.shortCodes()).isNotNull();
        assertThat(ids.value(301)).isEqualTo("id1");
        StringData kind = (StringData) c.columns[2];
        assertThat(kind.byteCodes()).isNull();
        assertThat(kind.intCodes()).isNull();
        assertThat(kind.value(299)).isEqualTo("same");
    }

    @Test
    void distinctLowerCaseGuidsAreHeldAsTwoLongsAndReadBackExactly() {
        ColumnarTable t = new ColumnarTable("T", SCHEMA, "Timestamp", 3);
        String[] ids = {UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString()};
        for (String id : ids) t.append(Instant.EPOCH, id, "", 1, 0.0);
        ColumnarTable.Chunk c = t.snapshot().chunks().get(0);
        assertThat(c.columns[1]).isInstanceOf(GuidData.class);
        for (int i = 0; i < 3; i++) assertThat(((GuidData) c.columns[1]).value(i)).isEqualTo(ids[i]);
        // upper case would not read back the same: kept as text
        ColumnarTable u = new ColumnarTable("U", SCHEMA, "Timestamp", 2);
        u.append(Instant.EPOCH, ids[0].toUpperCase(), "", 1, 0.0);
        u.append(Instant.EPOCH, ids[1], "", 1, 0.0);
        ColumnarTable.ColumnData d = u.snapshot().chunks().get(0).columns[1];
        assertThat(d).isNotInstanceOf(GuidData.class);
        assertThat(((ColumnarTable.TextData) d).value(0)).isEqualTo(ids[0].toUpperCase());
    }

    @Test
    void mostlyDistinctStringsAreKeptAsBytesWithoutADictionary() {
        ColumnarTable t = new ColumnarTable("T", SCHEMA, "Timestamp", 100);
        for (int i = 0; i < 100; i++) t.append(Instant.ofEpochSecond(i), "<" + i + ".ünïcode@mail.example>", "", i, 0.0);
        ColumnarTable.ColumnData d = t.snapshot().chunks().get(0).columns[1];
        assertThat(d).isInstanceOf(ColumnarTable.TextData.class);
        assertThat(((ColumnarTable.TextData) d).value(42)).isEqualTo("<42.ünïcode@mail.example>");
        assertThat(d.approximateBytes()).isLessThan(100 * 40);
    }

    @Test
    void chunksKnowTheirTimeRangeAndRetentionDropsWholeOldChunks() {
        ColumnarTable t = new ColumnarTable("T", SCHEMA, "Timestamp", 2);
        for (int i = 0; i < 6; i++) t.append(Instant.ofEpochSecond(100 * i), "x", "", 1, 0.0);
        assertThat(t.snapshot().chunks()).extracting(c -> c.minTime / Ticks.PER_SECOND).containsExactly(0L, 200L, 400L);
        t.retainFrom(Ticks.of(Instant.ofEpochSecond(250)));
        ColumnarTable.Snapshot s = t.snapshot();
        assertThat(s.chunks()).hasSize(2);
        assertThat(s.floorTicks()).isEqualTo(Ticks.of(Instant.ofEpochSecond(250)));
    }

    @Test
    void nullsAreKeptForNumbersAndStringsAreNeverNull() {
        ColumnarTable t = new ColumnarTable("T", SCHEMA, "Timestamp", 10);
        t.append(Instant.EPOCH, null, "", null, null);
        ColumnarTable.Chunk c = t.snapshot().chunks().get(0);
        assertThat(((StringData) c.columns[1]).value(0)).isEmpty();
        assertThat(((ColumnarTable.IntData) c.columns[3]).isNull(0)).isTrue();
        assertThat(((ColumnarTable.RealData) c.columns[4]).isNull(0)).isTrue();
        assertThatThrownBy(() -> t.append(null, "", "", 1, 1.0)).hasMessageContaining("time column");
        assertThatThrownBy(() -> t.append(Instant.EPOCH, "")).hasMessageContaining("expected 5 values");
    }
}
