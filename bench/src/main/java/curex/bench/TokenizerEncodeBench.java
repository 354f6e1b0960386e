// JMH throughput of byte-level BPE encoding on one thread, with and without the cache of encoded pre-tokens.
package curex.bench;

import curex.engine.text.BpeTokenizer;
import curex.engine.text.Corpus;
import curex.engine.text.TokenizerTraining;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One op = encoding all of {@code test-data/text/stories.txt} (200,051 bytes, read as one string) with a tokenizer
 * trained on it ({@code vocab} tokens asked; the small corpus stops at 868). MB/s = 0.200051 / (seconds per op).
 * {@code cache=true} is the tokenizer as used (encoded pre-tokens are remembered, so repeated words cost a lookup);
 * {@code cache=false} runs the merges for every pre-token. Run from the repository root (or bench/).
 *
 * <pre>
 * bench/run TokenizerEncodeBench -f 1 -wi 3 -i 5 -w 1 -r 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TokenizerEncodeBench {
    @Param({"1000"})
    public int vocab;

    @Param({"true", "false"})
    public boolean cache;

    private BpeTokenizer tokenizer;
    private String text;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        Path stories = Path.of("test-data", "text", "stories.txt");
        if (!Files.exists(stories)) stories = Path.of("..").resolve(stories);
        text = Files.readString(stories, StandardCharsets.UTF_8);
        BpeTokenizer trained = TokenizerTraining.run(new Corpus(stories), new TokenizerTraining.Options(vocab), b -> {
        }).tokenizer();
        tokenizer = cache ? trained : trained.withCacheLimit(0);
    }

    @Benchmark
    public int[] encode() {
        return tokenizer.encode(text);
    }
}
