package org.xldt.xlcfg;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An ordered collection of diagnostics; nothing stops at the first one. */
public final class Diagnostics {
    private final List<Diagnostic> list = new ArrayList<>();

    public void add(Diagnostic d) {
        list.add(d);
    }

    public void addAll(List<Diagnostic> ds) {
        list.addAll(ds);
    }

    public List<Diagnostic> all() {
        return Collections.unmodifiableList(list);
    }

    public List<Diagnostic> errors() {
        return list.stream().filter(Diagnostic::isError).toList();
    }

    public List<Diagnostic> warnings() {
        return list.stream().filter(d -> !d.isError()).toList();
    }

    public boolean hasErrors() {
        return list.stream().anyMatch(Diagnostic::isError);
    }

    /** Prints every diagnostic, in order. */
    public void print(PrintWriter out, boolean caret) {
        for (Diagnostic d : list) out.println(d.render(caret));
        out.flush();
    }
}
