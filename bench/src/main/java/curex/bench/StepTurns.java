// Runs the transformer training step in timed windows on request, so that a coordinator can alternate it with a peer.
package curex.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code StepTurns SHAPE THREADS} builds {@link TransformerStep} at that shape, prints {@code ready}, then answers one
 * line per command read from standard input:
 * <ul>
 *   <li>{@code run SECONDS}: runs whole steps until SECONDS have passed and prints {@code STEPS ELAPSED_SECONDS};</li>
 *   <li>{@code quit}: prints the step's memory and exits.</li>
 * </ul>
 * Between commands it waits on standard input and uses no CPU, so that the peer has the machine to itself. The
 * protocol is the one {@code bench/scripts/torch_transformer_step.py --turns} speaks;
 * {@code bench/scripts/step_turns.py} drives both.
 */
public final class StepTurns {
    private StepTurns() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: StepTurns SHAPE THREADS (shapes: " + TransformerStep.SHAPES + ")");
            System.exit(2);
        }
        TransformerStep built;
        try {
            built = new TransformerStep(args[0], Integer.parseInt(args[1]));
        } catch (IllegalArgumentException e) {   // an unknown shape or a thread count that is not a number
            System.err.println("StepTurns: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (TransformerStep step = built) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("ready");
            System.out.flush();
            for (String line; (line = in.readLine()) != null; ) {
                String[] words = line.trim().split("\\s+");
                if (words[0].equals("quit")) {
                    System.out.println("# " + step.memory());
                    return;
                }
                if (!words[0].equals("run") || words.length != 2)
                    throw new IllegalArgumentException("unknown command '" + line + "' (run SECONDS, quit)");
                long budget = (long) (Double.parseDouble(words[1]) * 1e9), start = System.nanoTime();
                int steps = 0;
                do {
                    step.run();
                    steps++;
                } while (System.nanoTime() - start < budget);
                System.out.printf(Locale.ROOT, "%d %.6f%n", steps, (System.nanoTime() - start) / 1e9);
                System.out.flush();
            }
        }
    }
}
