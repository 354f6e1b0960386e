// Receives the documents of a corpus one at a time and says whether to go on.
package curex.engine.text;

/** A consumer of documents that can stop the pass early. */
@FunctionalInterface
public interface DocumentSink {
    /** Takes one document; returns false to stop reading. */
    boolean accept(Document document);
}
