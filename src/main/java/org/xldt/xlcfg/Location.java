package org.xldt.xlcfg;

/**
 * A place in an xl.cfg source: the source's name (a file name, or {@code <command line: k=v>}
 * for a statement given as an argument), a 1-based line and a 1-based column counted in bytes.
 */
public record Location(String source, int line, int column) {
    @Override
    public String toString() {
        return source + ":" + line + ":" + column;
    }
}
