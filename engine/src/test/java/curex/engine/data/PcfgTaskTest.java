// Tests of the PCFG masked-LM task: token layout, BERT mask rates, purity in (seed, step, row), held out, metadata.
package curex.engine.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class PcfgTaskTest {
    private static final Grammar CFG3B = Grammar.load(GrammarTest.CFG3B);

    private static PcfgTask task() {
        return new PcfgTask(CFG3B, "16", "17", "18");
    }

    /** Row r's tokens without padding: BOS ... EOS. */
    private static int[] row(Batch b, int r, PcfgTask t) {
        int len = b.length();
        int[] x = Arrays.copyOfRange(b.tokens(), r * len, (r + 1) * len);
        int eos = indexOf(x, t.eos());
        for (int p = eos + 1; p < len; p++) assertEquals(t.padToken(), x[p], "padding after EOS");
        return Arrays.copyOf(x, eos + 1);
    }

    private static int[] labels(Batch b, int r, int count) {
        return Arrays.copyOfRange(b.labels(), r * b.length(), r * b.length() + count);
    }

    private static int indexOf(int[] x, int v) {
        for (int i = 0; i < x.length; i++) if (x[i] == v) return i;
        return -1;
    }

    @Test
    void tokenIdsVocabularyAndShape() {
        PcfgTask t = task();
        assertEquals(3, t.bos());
        assertEquals(4, t.eos());
        assertEquals(5, t.padToken());
        assertEquals(6, t.mask());
        assertEquals(8, t.vocabulary());
        assertEquals(8, t.classes());
        assertEquals(-100, t.ignoreIndex());
        assertEquals(Task.Input.TOKENS, t.input());
        assertEquals(Task.Readout.TOKENS, t.readout());
        assertArrayEquals(new int[]{74}, t.sampleShape());
        assertArrayEquals(new int[]{434}, new PcfgTask(CFG3B, "22", "16").sampleShape());
        assertEquals("pcfg(cfg3b, roots 16,17,18)", t.describe());
        assertEquals("pcfg-cfg3b-r16-17-18", t.id());
        assertEquals(List.of("16", "17", "18"), t.toMap().get("roots"));
        assertEquals(74, t.toMap().get("maxLength"));
    }

    @Test
    void rowsAreBosTerminalsEosThenPaddingToTheLongestRow() {
        PcfgTask t = task();
        Batch b = t.batch(7, 3, 64);
        int longest = 0;
        for (int r = 0; r < 64; r++) {
            int[] x = row(b, r, t);
            longest = Math.max(longest, x.length);
            assertEquals(t.bos(), x[0]);
            assertTrue(x.length - 2 >= 35 && x.length - 2 <= 72, "terminals: " + (x.length - 2));
            int[] y = labels(b, r, b.length());
            for (int p = 1; p < x.length - 1; p++)
                assertTrue(x[p] < 3 || x[p] == t.mask(), "position " + p + " holds " + x[p]);
            assertEquals(-100, y[0], "BOS has no label");
            for (int p = x.length - 1; p < b.length(); p++) assertEquals(-100, y[p], "EOS and PAD have no label");
        }
        assertEquals(longest, b.length());
        assertEquals(64 * longest, b.inputCount());
        assertEquals(64 * longest, b.labelCount());
    }

    @Test
    void masksFollowBertRates() {
        PcfgTask t = task();
        long positions = 0, selected = 0, masked = 0, kept = 0, replaced = 0;
        for (int step = 0; step < 40; step++) {
            Batch b = t.batch(1, step, 64);
            for (int r = 0; r < 64; r++) {
                int[] x = row(b, r, t), y = labels(b, r, x.length);
                for (int p = 1; p < x.length - 1; p++) {
                    positions++;
                    if (y[p] == -100) {
                        assertTrue(x[p] < 3, "an unselected position keeps its terminal");
                        continue;
                    }
                    selected++;
                    assertTrue(y[p] >= 0 && y[p] < 3, "label " + y[p]);
                    if (x[p] == t.mask()) masked++;
                    else if (x[p] == y[p]) kept++;
                    else replaced++;
                }
            }
        }
        assertTrue(positions > 100_000, "positions " + positions);
        assertEquals(0.3, selected / (double) positions, 0.02);
        assertEquals(0.8, masked / (double) selected, 0.02);
        assertEquals(0.1 + 0.1 / 3, kept / (double) selected, 0.02);   // a random terminal is the same one 1/3 of the time
        assertEquals(0.1 * 2 / 3, replaced / (double) selected, 0.02);
    }

    @Test
    void rootsAreDrawnUniformly() {
        PcfgTask t = new PcfgTask(CFG3B, "16", "22");
        Batch b = t.batch(5, 0, 2000);
        int fromRoot22 = 0;
        for (int r = 0; r < 2000; r++) if (row(b, r, t).length - 2 > 72) fromRoot22++;   // root 22 derives 161..432, root 16 35..72
        assertEquals(0.5, fromRoot22 / 2000.0, 0.04);
    }

    @Test
    void fillIsPureInSeedStepAndRow() {
        PcfgTask t = task();
        Batch one = t.batch(42, 1000, 9);
        Batch two = t.batch(42, 1000, 9);
        t.batch(42, 7, 9);
        assertEquals(one.length(), two.length());
        assertArrayEquals(Arrays.copyOf(one.tokens(), one.inputCount()), Arrays.copyOf(two.tokens(), two.inputCount()));
        assertArrayEquals(Arrays.copyOf(one.labels(), one.labelCount()), Arrays.copyOf(two.labels(), two.labelCount()));
        Batch three = t.batch(42, 1000, 3);
        for (int r = 0; r < 3; r++) {
            int[] x = row(one, r, t);
            assertArrayEquals(x, row(three, r, t), "row " + r + " whatever the batch size");
            assertArrayEquals(labels(one, r, x.length), labels(three, r, x.length));
        }
        Batch other = t.batch(42, 1001, 9), otherSeed = t.batch(43, 1000, 9);
        assertFalse(Arrays.equals(row(one, 0, t), row(other, 0, t)), "different steps differ");
        assertFalse(Arrays.equals(row(one, 0, t), row(otherSeed, 0, t)), "different seeds differ");
        assertThrows(IllegalArgumentException.class, () -> t.batch(42, -1, 3));
    }

    @Test
    void drawsArePinned() {
        PcfgTask t = task();
        assertEquals(-26636058928L, BatchFingerprint.of(t.batch(42, 1000, 9)), "the training batch's strings or masks moved");
        assertEquals(-53501283766L, BatchFingerprint.of(t.heldOut(42, 16)), "the held-out strings or masks moved");
    }

    @Test
    void heldOutIsFixedAndApartFromTraining() {
        PcfgTask t = task();
        Batch a = t.heldOut(9, 50), b = t.heldOut(9, 50), train = t.batch(9, 0, 50);
        assertArrayEquals(Arrays.copyOf(a.tokens(), a.inputCount()), Arrays.copyOf(b.tokens(), b.inputCount()));
        assertArrayEquals(Arrays.copyOf(a.labels(), a.labelCount()), Arrays.copyOf(b.labels(), b.labelCount()));
        int same = 0;
        for (int r = 0; r < 50; r++) if (Arrays.equals(row(a, r, t), row(train, r, t))) same++;
        assertEquals(0, same, "held-out rows differ from training rows");
        assertFalse(Arrays.equals(row(a, 0, t), row(t.heldOut(10, 50), 0, t)), "another seed, another set");
        assertEquals(PcfgTask.DEFAULT_HELD_OUT, t.heldOut(9).size());
    }

    @Test
    void metadataRebuildsTheSameTask() {
        PcfgTask t = task();
        Map<String, String> meta = t.metadata();
        assertEquals("pcfg", meta.get("task"));
        assertEquals("cfg3b", meta.get("pcfg.grammar.name"));
        assertEquals("16,17,18", meta.get("pcfg.roots"));
        assertEquals(CFG3B.canonicalText(), meta.get("pcfg.grammar"));
        Task back = Tasks.fromMetadata(meta);
        assertInstanceOf(PcfgTask.class, back);
        assertEquals(t.id(), back.id());
        Batch x = t.batch(3, 11, 16), y = back.batch(3, 11, 16);
        assertEquals(x.length(), y.length());
        assertArrayEquals(Arrays.copyOf(x.tokens(), x.inputCount()), Arrays.copyOf(y.tokens(), y.inputCount()));
        assertArrayEquals(Arrays.copyOf(x.labels(), x.labelCount()), Arrays.copyOf(y.labels(), y.labelCount()));
    }

    @Test
    void badMetadataAndRootsAreRefusedClearly() {
        for (String key : new String[]{"pcfg.grammar", "pcfg.grammar.name", "pcfg.roots"}) {
            Map<String, String> meta = new HashMap<>(task().metadata());
            meta.remove(key);
            String m = assertThrows(IllegalArgumentException.class, () -> Tasks.fromMetadata(meta)).getMessage();
            assertTrue(m.contains("'" + key + "'"), m);
        }
        Map<String, String> meta = new HashMap<>(task().metadata());
        meta.put("pcfg.roots", "16,99");
        String m = assertThrows(IllegalArgumentException.class, () -> Tasks.fromMetadata(meta)).getMessage();
        assertTrue(m.contains("pcfg.roots") && m.contains("'99'"), m);
        meta.put("pcfg.roots", "16");
        meta.put("pcfg.grammar", "name: cfg3b; terminals: a; A -> B");
        m = assertThrows(IllegalArgumentException.class, () -> Tasks.fromMetadata(meta)).getMessage();
        assertTrue(m.contains("pcfg.grammar") && m.contains("unknown symbol 'B'"), m);
        assertThrows(IllegalArgumentException.class, () -> new PcfgTask(CFG3B));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PcfgTask(CFG3B, "16", "1")).getMessage()
                .contains("'1' is not a nonterminal"));
        assertThrows(IllegalArgumentException.class, () -> new PcfgTask(CFG3B, "16", "16"));
    }
}
