package org.xldt.smmu;

/**
 * One named field of a register or an in-memory structure: bits [bit+width-1:bit], where
 * {@code bit} counts from bit 0 of the first 64-bit little-endian word (so bit 70 is bit 6 of
 * word 1). A field never crosses a 64-bit word. Every register, STE, CD, command and event
 * field in this package is declared once as a BitField and used by name.
 */
public record BitField(String name, int bit, int width) {

    public BitField {
        if (width < 1 || width > 64 || (bit & 63) + width > 64) {
            throw new IllegalArgumentException("bad field " + name);
        }
    }

    /** Word index (64-bit) holding the field. */
    public int word() {
        return bit >>> 6;
    }

    /** Bit position inside its word. */
    public int shift() {
        return bit & 63;
    }

    /** Mask of the field inside its word. */
    public long mask() {
        return (width == 64 ? -1L : (1L << width) - 1) << shift();
    }

    /** The largest value the field holds. */
    public long max() {
        return width == 64 ? -1L : (1L << width) - 1;
    }

    /** Value of the field in a single word (the word that holds it). */
    public long get(long word) {
        return (word & mask()) >>> shift();
    }

    public long get(long[] words) {
        return get(words[word()]);
    }

    public boolean isSet(long word) {
        return get(word) != 0;
    }

    public boolean isSet(long[] words) {
        return get(words) != 0;
    }

    public int getInt(long[] words) {
        return (int) get(words);
    }

    /** {@code word} with the field replaced by {@code value} (truncated to the field width). */
    public long insert(long word, long value) {
        return (word & ~mask()) | ((value << shift()) & mask());
    }

    public void set(long[] words, long value) {
        words[word()] = insert(words[word()], value);
    }

    /** Field value as an address: the field holds bits [bit+width-1:bit] of an address. */
    public long getAddr(long word) {
        return word & mask();
    }
}
