package org.camaudit.rules.corpus;

/**
 * Counts of one slice of the corpus.
 *
 * @param records records in the slice
 * @param named records where the engine named any maker
 * @param correct records where the name matched the label
 */
public record Tally(int records, int named, int correct) {
    public static final Tally EMPTY = new Tally(0, 0, 0);

    public Tally {
        if (records < 0 || named < 0 || correct < 0 || named > records || correct > named) {
            throw new IllegalArgumentException("inconsistent tally " + records + "/" + named + "/"
                    + correct);
        }
    }

    public Tally add(boolean wasNamed, boolean wasCorrect) {
        return new Tally(records + 1, named + (wasNamed ? 1 : 0), correct + (wasCorrect ? 1 : 0));
    }

    /** Correct among records (0 for an empty slice). */
    public double accuracy() {
        return records == 0 ? 0 : (double) correct / records;
    }

    /** Named among records. */
    public double coverage() {
        return records == 0 ? 0 : (double) named / records;
    }

    /** Correct among named (1 when nothing was named: no wrong call was made). */
    public double precision() {
        return named == 0 ? 1 : (double) correct / named;
    }

    /** A figure by name: accuracy, coverage or precision. */
    public double figure(String name) {
        return switch (name) {
            case "accuracy" -> accuracy();
            case "coverage" -> coverage();
            case "precision" -> precision();
            default -> throw new IllegalArgumentException("no figure '" + name
                    + "' (accuracy, coverage, precision)");
        };
    }
}
