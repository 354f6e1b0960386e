// Decodes a UTF-8 byte stream, replacing each malformed sequence with U+FFFD and counting the replacements.
package curex.engine.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A reader of UTF-8 that never fails on bad input: every malformed or truncated sequence (as the JDK's decoder
 * delimits it, following Unicode's "maximal subpart" practice; encoded surrogates count as malformed) becomes one
 * U+FFFD and is counted in {@link #replaced()}. {@link #bytes()} is the number of bytes consumed from the stream.
 */
final class ReplacingUtf8Reader extends Reader {
    private static final int BUFFER = 1 << 16;

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER).flip();
    private final CharBuffer chars = CharBuffer.allocate(BUFFER).flip();
    private boolean endOfInput;
    private boolean flushed;
    private long replaced;
    private long consumed;

    ReplacingUtf8Reader(InputStream in) {
        this.in = in;
    }

    long replaced() {
        return replaced;
    }

    long bytes() {
        return consumed;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (!chars.hasRemaining() && !fill()) return -1;
        int n = Math.min(len, chars.remaining());
        chars.get(buf, off, n);
        return n;
    }

    /** Decodes more characters into {@link #chars}; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (flushed) return false;
        chars.clear();
        while (chars.position() == 0) {
            CoderResult r = decoder.decode(bytes, chars, endOfInput);
            if (r.isError()) {
                bytes.position(bytes.position() + r.length());
                chars.put('\uFFFD');
                replaced++;
            } else if (r.isOverflow()) {
                break;
            } else if (!endOfInput) {
                readMore();
            } else {
                decoder.flush(chars);
                flushed = true;
                break;
            }
        }
        chars.flip();
        return chars.hasRemaining();
    }

    private void readMore() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) endOfInput = true;
        else {
            bytes.position(bytes.position() + n);
            consumed += n;
        }
        bytes.flip();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
