package org.xldt;

/**
 * Input that xldt refuses: a malformed file, an impossible configuration, a hostile value.
 * Carries a location ("file:line:col", "file: offset 0x1c", ...) so that the CLI can print
 * one line {@code LOCATION: error: MESSAGE} and exit with status 1, never a stack trace.
 */
public class BadInputException extends RuntimeException {
    private final String location;

    public BadInputException(String location, String message) {
        super(message);
        this.location = location;
    }

    public BadInputException(String location, String message, Throwable cause) {
        super(message, cause);
        this.location = location;
    }

    /** Where the problem is; may be empty when nothing more precise than the command is known. */
    public String location() {
        return location == null ? "" : location;
    }

    /** The one-line form printed by the CLI. */
    public String render() {
        String loc = location();
        return (loc.isEmpty() ? "" : loc + ": ") + "error: " + getMessage();
    }
}
