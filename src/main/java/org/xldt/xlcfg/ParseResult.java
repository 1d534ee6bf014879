package org.xldt.xlcfg;

import java.util.List;

/**
 * What {@link XlCfgReader} found: the settings it could read (all of them when {@link #ok()})
 * and every diagnostic in source order.
 *
 * @param config      the settings read; complete only when ok
 * @param diagnostics errors and warnings
 */
public record ParseResult(XlConfig config, List<Diagnostic> diagnostics) {
    public ParseResult {
        diagnostics = List.copyOf(diagnostics);
    }

    /** True exactly when libxlutil accepts the text. */
    public boolean ok() {
        return diagnostics.stream().noneMatch(Diagnostic::isError);
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }
}
