// Tests of training on a corpus: the held-out split, sampling a large corpus, and the cap on distinct pre-tokens.
package curex.engine.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class TokenizerTrainingTest {
    @TempDir
    Path dir;

    @Test
    void heldOutDocumentsAreNotCounted() {
        Corpus c = new Corpus(BpeTokenizerTest.STORIES);
        TokenizerTraining.Result r = TokenizerTraining.run(c, new TokenizerTraining.Options(300, 0.5,
                TokenizerTraining.DEFAULT_SAMPLE_BYTES, TokenizerTraining.DEFAULT_MAX_WORDS), b -> {
        });
        assertEquals(r.corpus().documents(), r.trainingDocuments() + r.heldOutDocuments());
        assertEquals(0.5, r.heldOutDocuments() / (double) r.corpus().documents(), 0.1);
        assertFalse(r.sampled());
        long[] training = {0};
        HeldOutSplit split = new HeldOutSplit(0.5);
        c.read(d -> {
            if (!split.heldOut(d.text())) training[0] += TokenizerTraining.utf8Length(d.text());
            return true;
        });
        assertEquals(training[0], r.countedBytes());
    }

    @Test
    void aLargeCorpusIsSampledAndSaysSo() {
        Corpus c = new Corpus(BpeTokenizerTest.STORIES);
        long[] progress = {0};
        TokenizerTraining.Result r = TokenizerTraining.run(c, new TokenizerTraining.Options(300, 0.01, 50_000,
                TokenizerTraining.DEFAULT_MAX_WORDS), b -> progress[0] = b);
        assertTrue(r.sampled());
        assertTrue(r.sampling().contains("--sample-bytes 50000"), r.sampling());
        assertTrue(r.countedBytes() >= 40_000 && r.countedBytes() < 52_000, "counted " + r.countedBytes());
        assertTrue(progress[0] > 150_000, "progress reached " + progress[0]);   // about a quarter kept: read on
        assertEquals(300, r.tokenizer().vocabularySize());
    }

    @Test
    void distinctPreTokensAreCapped() {
        WordCounts counts = new WordCounts(100);
        for (int i = 0; i < 1000; i++) counts.add("common rare" + i);
        assertTrue(counts.distinct() <= 100, "distinct " + counts.distinct());
        assertTrue(counts.prunedWords() > 800, "pruned " + counts.prunedWords());
        assertEquals(3000, counts.pieces());                  // "common", " rare", "17"
        assertEquals(1000, counts.counts().get("common")[0]);
        assertEquals(1000, counts.counts().get(" rare")[0]);
    }

    @Test
    void aCorpusWithNothingLeftForTrainingIsRefused() throws IOException {
        Path f = dir.resolve("one.txt");
        Files.writeString(f, "document number 1\n");      // held out at 0.1 (see HeldOutSplitTest)
        CorpusException e = assertThrows(CorpusException.class, () -> TokenizerTraining.run(new Corpus(f),
                new TokenizerTraining.Options(300, 0.1, 1000, 1000), b -> {
                }));
        assertTrue(e.getMessage().contains("no training document"), e.getMessage());
    }
}
