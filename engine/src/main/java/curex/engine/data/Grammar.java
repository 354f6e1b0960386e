// A finite probabilistic context-free grammar: a small validated text format, length bounds, and pure sampling.
package curex.engine.data;

import curex.kernels.CounterRng;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * A context-free grammar whose rules pick uniformly among their alternatives, as in Allen-Zhu &amp; Li's cfg3
 * family. Its text has one statement a line (or several on a line, separated by {@code ;}):
 * <pre>
 * # a comment runs to the end of its line; blank lines are ignored
 * name: cfg3b              optional; by default the source's file name without its extension
 * terminals: 1 2 3         the terminal symbols in token-id order: 1 is token 0, 2 is token 1, 3 is token 2
 * 22 -> 21 20 | 20 19      a rule: its nonterminal, then one or more alternatives of one or more symbols each
 * </pre>
 * Symbols are whitespace-separated words without {@code | -> # : ;}. Each nonterminal has exactly one rule. Parsing
 * refuses, naming the source and the line: a missing {@code terminals:} line, a line that is neither, a rule for a
 * terminal, a nonterminal defined twice, an empty alternative, an unknown symbol, a nonterminal that never derives a
 * string of terminals, and a recursive nonterminal (one that can derive itself): curex samples only finite
 * languages, so every derivation ends and {@link #maxTerminals} bounds every sample. A sample is a pure function of
 * its key ({@link CounterRng}). Instances are immutable.
 */
public final class Grammar {
    /** Where built-in grammars live on the classpath: {@code curex/grammars/NAME.grammar}. */
    public static final String RESOURCE_DIR = "curex/grammars/";
    public static final String EXTENSION = ".grammar";
    private static final String NAME_PATTERN = "[\\w.+-]+";
    private static final int CAP = Integer.MAX_VALUE;   // length bounds saturate here

    private final String name;
    private final String[] symbols;          // terminals 0..t-1, then nonterminals in definition order
    private final int terminals;
    private final Map<String, Integer> ids;
    private final int[][][] rules;           // rules[s - terminals]: the alternatives of nonterminal s
    private final int[] minLength, maxLength, stackNeed;   // per symbol

    private Grammar(String name, String[] symbols, int terminals, int[][][] rules, int[] minLength, int[] maxLength,
                    int[] stackNeed) {
        this.name = name;
        this.symbols = symbols;
        this.terminals = terminals;
        this.rules = rules;
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.stackNeed = stackNeed;
        this.ids = new HashMap<>();
        for (int i = 0; i < symbols.length; i++) ids.put(symbols[i], i);
    }

    /** Parses grammar text; {@code source} (a file name or path) names it in errors and gives the default name. */
    public static Grammar parse(String text, String source) {
        String name = null;
        List<String> terms = null;
        Map<String, Rule> defined = new LinkedHashMap<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int line = i + 1;
            String body = lines[i];
            int hash = body.indexOf('#');
            if (hash >= 0) body = body.substring(0, hash);
            for (String st : body.split(";")) {
                st = st.strip();
                if (st.isEmpty()) continue;
                if (st.startsWith("name:")) {
                    if (name != null) throw error(source, line, "a second 'name:' line");
                    name = st.substring(5).strip();
                    if (!name.matches(NAME_PATTERN))
                        throw error(source, line, "the name must be one word of letters, digits, '_', '.', '+' or '-', got '"
                                + name + "'");
                } else if (st.startsWith("terminals:")) {
                    if (terms != null) throw error(source, line, "a second 'terminals:' line");
                    terms = words(st.substring(10), source, line);
                    if (terms.isEmpty()) throw error(source, line, "'terminals:' lists no terminal");
                    for (int a = 0; a < terms.size(); a++)
                        if (terms.indexOf(terms.get(a)) != a)
                            throw error(source, line, "terminal '" + terms.get(a) + "' is listed twice");
                } else if (st.contains("->")) {
                    Rule r = rule(st, source, line);
                    Rule first = defined.putIfAbsent(r.lhs, r);
                    if (first != null)
                        throw error(source, line, "nonterminal '" + r.lhs + "' is defined twice (first on line "
                                + first.line + ")");
                } else {
                    throw error(source, line, "'" + st + "' is neither a rule (LHS -> alternative | ...) nor a 'name:' or"
                            + " 'terminals:' line");
                }
            }
        }
        if (terms == null)
            throw error(source, 0, "no 'terminals:' line (it lists the terminal symbols in token-id order)");
        if (defined.isEmpty()) throw error(source, 0, "defines no rules");
        if (name == null) {
            String file = source.substring(Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1);
            name = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
            if (!name.matches(NAME_PATTERN))
                throw error(source, 0, "no 'name:' line, and the file name gives no usable name ('" + name + "')");
        }
        return build(name, terms, new ArrayList<>(defined.values()), source);
    }

    /** Reads and parses a grammar file. */
    public static Grammar load(Path path) {
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
        } catch (java.nio.charset.CharacterCodingException e) {   // Files.readString's "Input length = 1"
            throw new IllegalArgumentException("grammar file " + path + " is not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read grammar file " + path + ": " + e.getMessage(), e);
        }
    }

    /** The built-in grammar {@code name} (classpath {@code curex/grammars/NAME.grammar}), e.g. "cfg3b". */
    public static Grammar builtin(String name) {
        String resource = RESOURCE_DIR + name + EXTENSION;
        try (InputStream in = name.matches(NAME_PATTERN)
                ? Grammar.class.getClassLoader().getResourceAsStream(resource) : null) {
            if (in == null)
                throw new IllegalArgumentException("no built-in grammar '" + name + "'; the built-in grammars are "
                        + builtinNames());
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in grammar " + resource + ": " + e.getMessage(), e);
        }
    }

    /** An existing grammar file at {@code nameOrPath}, else the built-in grammar of that name. */
    public static Grammar resolve(String nameOrPath) {
        Path path = null;
        try {
            path = Path.of(nameOrPath);
        } catch (InvalidPathException ignored) {
            // not a path: maybe a name
        }
        if (path != null && Files.isRegularFile(path)) return load(path);
        if (path != null && Files.isDirectory(path))
            throw new IllegalArgumentException("'" + nameOrPath + "' is a folder, not a grammar file");
        if (nameOrPath.contains("/") || nameOrPath.contains("\\") || nameOrPath.endsWith(EXTENSION))
            throw new IllegalArgumentException("no grammar file '" + nameOrPath + "' (the built-in grammars are "
                    + builtinNames() + ")");
        return builtin(nameOrPath);
    }

    /** The names of the built-in grammars, sorted; empty where the classpath cannot be listed. */
    public static List<String> builtinNames() {
        List<String> files = new ArrayList<>();
        try {
            Path where = Path.of(Grammar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(where)) {
                Path dir = where.resolve(RESOURCE_DIR);
                if (Files.isDirectory(dir))
                    try (Stream<Path> s = Files.list(dir)) {
                        s.forEach(p -> files.add(p.getFileName().toString()));
                    }
            } else {
                try (ZipFile jar = new ZipFile(where.toFile())) {
                    jar.stream().map(e -> e.getName()).filter(n -> n.startsWith(RESOURCE_DIR))
                            .forEach(n -> files.add(n.substring(RESOURCE_DIR.length())));
                }
            }
        } catch (Exception e) {
            return List.of();
        }
        return files.stream().filter(f -> f.endsWith(EXTENSION) && !f.contains("/"))
                .map(f -> f.substring(0, f.length() - EXTENSION.length())).sorted().toList();
    }

    public String name() {
        return name;
    }

    /** Number of terminals: their token ids are 0 .. terminals() - 1. */
    public int terminals() {
        return terminals;
    }

    /** The terminal symbol of token id {@code id}. */
    public String terminal(int id) {
        if (id < 0 || id >= terminals)
            throw new IllegalArgumentException("grammar " + name + " has no terminal id " + id);
        return symbols[id];
    }

    /** The nonterminal symbols, in the order the grammar defines them. */
    public List<String> nonterminals() {
        return List.of(symbols).subList(terminals, symbols.length);
    }

    public boolean isNonterminal(String symbol) {
        Integer s = ids.get(symbol);
        return s != null && s >= terminals;
    }

    /** The fewest terminals {@code symbol} derives (1 for a terminal). */
    public int minTerminals(String symbol) {
        return minLength[id(symbol)];
    }

    /** The most terminals {@code symbol} derives (1 for a terminal), saturating at Integer.MAX_VALUE. */
    public int maxTerminals(String symbol) {
        return maxLength[id(symbol)];
    }

    /**
     * Derives a string from nonterminal {@code root}, choosing each rule's alternative uniformly with
     * {@code CounterRng.bits(key, i)} for the i-th expansion that has a choice, and writes its terminal token ids
     * leftmost first to {@code out[offset ..]}, which must hold {@link #maxTerminals}(root) of them.
     *
     * @return the number of terminals written
     */
    public int sample(String root, long key, int[] out, int offset) {
        int s = id(root);
        if (s < terminals)
            throw new IllegalArgumentException("grammar " + name + ": root '" + root + "' is a terminal, not a nonterminal");
        if (offset < 0 || out.length - offset < maxLength[s])
            throw new IllegalArgumentException("grammar " + name + ": root '" + root + "' derives up to " + maxLength[s]
                    + " terminals, but only " + (out.length - offset) + " places are left from offset " + offset);
        int[] stack = new int[stackNeed[s]];
        int top = 0, n = 0;
        long counter = 0;
        stack[top++] = s;
        while (top > 0) {
            int x = stack[--top];
            if (x < terminals) {
                out[offset + n++] = x;
                continue;
            }
            int[][] alts = rules[x - terminals];
            int[] alt = alts.length == 1 ? alts[0] : alts[Math.floorMod(CounterRng.bits(key, counter++), alts.length)];
            for (int j = alt.length - 1; j >= 0; j--) stack[top++] = alt[j];
        }
        return n;
    }

    /**
     * The grammar as one line that {@link #parse} reads back to the same grammar:
     * {@code name: cfg3b; terminals: 1 2 3; 22 -> 21 20 | 20 19; ...}.
     */
    public String canonicalText() {
        StringBuilder b = new StringBuilder("name: ").append(name).append("; terminals:");
        for (int t = 0; t < terminals; t++) b.append(' ').append(symbols[t]);
        for (int s = terminals; s < symbols.length; s++) {
            b.append("; ").append(symbols[s]).append(" ->");
            int[][] alts = rules[s - terminals];
            for (int a = 0; a < alts.length; a++) {
                if (a > 0) b.append(" |");
                for (int x : alts[a]) b.append(' ').append(symbols[x]);
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "Grammar(" + name + ", " + terminals + " terminals, " + rules.length + " nonterminals)";
    }

    private int id(String symbol) {
        Integer s = ids.get(symbol);
        if (s == null)
            throw new IllegalArgumentException("grammar " + name + " has no symbol '" + symbol + "' (nonterminals: "
                    + String.join(" ", Arrays.copyOfRange(symbols, terminals, symbols.length)) + ")");
        return s;
    }

    /** One parsed rule: its nonterminal, its line, and its alternatives as symbol words. */
    private record Rule(String lhs, int line, List<List<String>> alternatives) {
    }

    private static Rule rule(String st, String source, int line) {
        int arrow = st.indexOf("->");
        List<String> lhs = words(st.substring(0, arrow), source, line);
        if (lhs.size() != 1)
            throw error(source, line, "a rule's left side must be one symbol, got '" + st.substring(0, arrow).strip() + "'");
        String rhs = st.substring(arrow + 2);
        if (rhs.isBlank()) throw error(source, line, "the rule for '" + lhs.get(0) + "' has no alternatives");
        List<List<String>> alts = new ArrayList<>();
        for (String alt : rhs.split("\\|", -1)) {
            List<String> w = words(alt, source, line);
            if (w.isEmpty())
                throw error(source, line, "the rule for '" + lhs.get(0) + "' has an empty alternative (number "
                        + (alts.size() + 1) + ")");
            alts.add(w);
        }
        return new Rule(lhs.get(0), line, alts);
    }

    private static List<String> words(String s, String source, int line) {
        List<String> out = new ArrayList<>();
        for (String w : s.strip().split("\\s+")) {
            if (w.isEmpty()) continue;
            if (w.contains("->") || w.contains(":"))
                throw error(source, line, "'" + w + "' is not a symbol (symbols contain none of | -> # : ;)");
            out.add(w);
        }
        return out;
    }

    /** Checks the parsed rules and computes the length bounds; a rule's line names it in every error. */
    private static Grammar build(String name, List<String> terms, List<Rule> rules, String source) {
        int t = terms.size(), n = rules.size();
        Map<String, Integer> ids = new HashMap<>();
        String[] symbols = new String[t + n];
        for (int i = 0; i < t; i++) {
            ids.put(terms.get(i), i);
            symbols[i] = terms.get(i);
        }
        for (int i = 0; i < n; i++) {
            Rule r = rules.get(i);
            if (ids.containsKey(r.lhs))
                throw error(source, r.line, "'" + r.lhs + "' is a terminal and cannot have a rule");
            ids.put(r.lhs, t + i);
            symbols[t + i] = r.lhs;
        }
        int[][][] alts = new int[n][][];
        for (int i = 0; i < n; i++) {
            Rule r = rules.get(i);
            alts[i] = new int[r.alternatives.size()][];
            for (int a = 0; a < alts[i].length; a++) {
                List<String> w = r.alternatives.get(a);
                alts[i][a] = new int[w.size()];
                for (int j = 0; j < w.size(); j++) {
                    Integer s = ids.get(w.get(j));
                    if (s == null)
                        throw error(source, r.line, "unknown symbol '" + w.get(j)
                                + "' (neither a terminal nor defined by a rule)");
                    alts[i][a][j] = s;
                }
            }
        }
        // Productive nonterminals (those deriving some terminal string), by fixpoint.
        boolean[] productive = new boolean[t + n];
        Arrays.fill(productive, 0, t, true);
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int i = 0; i < n; i++) {
                if (productive[t + i]) continue;
                for (int[] alt : alts[i])
                    if (Arrays.stream(alt).allMatch(s -> productive[s])) {
                        productive[t + i] = changed = true;
                        break;
                    }
            }
        }
        for (int i = 0; i < n; i++)
            if (!productive[t + i])
                throw error(source, rules.get(i).line, "nonterminal '" + symbols[t + i] + "' never reaches a terminal"
                        + " (every alternative needs a nonterminal that never derives a terminal string)");
        // Refuse recursion; the depth-first post-order then lists children before parents for the bounds.
        int[] state = new int[t + n];   // 0 unseen, 1 on the path, 2 done
        Arrays.fill(state, 0, t, 2);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++)
            visit(t + i, t, alts, state, new ArrayList<>(), order, symbols, rules, source);
        int[] min = new int[t + n], max = new int[t + n], need = new int[t + n];
        Arrays.fill(min, 0, t, 1);
        Arrays.fill(max, 0, t, 1);
        Arrays.fill(need, 0, t, 1);
        for (int s : order) {
            long lo = Long.MAX_VALUE, hi = 0;
            int stack = 1;
            for (int[] alt : alts[s - t]) {
                long a = 0, b = 0;
                for (int j = 0; j < alt.length; j++) {
                    a = Math.min(CAP, a + min[alt[j]]);
                    b = Math.min(CAP, b + max[alt[j]]);
                    stack = Math.max(stack, alt.length - 1 - j + need[alt[j]]);
                }
                lo = Math.min(lo, a);
                hi = Math.max(hi, b);
            }
            min[s] = (int) lo;
            max[s] = (int) hi;
            need[s] = stack;
        }
        return new Grammar(name, symbols, t, alts, min, max, need);
    }

    private static void visit(int s, int t, int[][][] alts, int[] state, List<Integer> path, List<Integer> order,
                              String[] symbols, List<Rule> rules, String source) {
        if (state[s] == 2) return;
        if (state[s] == 1) {
            List<String> cycle = new ArrayList<>();
            for (int p : path.subList(path.indexOf(s), path.size())) cycle.add(symbols[p]);
            cycle.add(symbols[s]);
            throw error(source, rules.get(s - t).line, "nonterminal '" + symbols[s] + "' is recursive ("
                    + String.join(" -> ", cycle) + "); curex samples only grammars whose derivations are finite");
        }
        state[s] = 1;
        path.add(s);
        for (int[] alt : alts[s - t])
            for (int x : alt) visit(x, t, alts, state, path, order, symbols, rules, source);
        path.removeLast();
        state[s] = 2;
        order.add(s);
    }

    private static IllegalArgumentException error(String source, int line, String message) {
        return new IllegalArgumentException("grammar " + source + (line > 0 ? " line " + line : "") + ": " + message);
    }
}
