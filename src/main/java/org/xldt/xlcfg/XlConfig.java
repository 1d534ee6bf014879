package org.xldt.xlcfg;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed xl.cfg file: the settings libxlutil stored, in order, and its accessors with their
 * coercions and warnings (see {@link Lookup}). The effective value of a name is its last
 * assignment; {@code +=} values are already concatenated.
 */
public final class XlConfig {
    private final XlSource source;
    private final List<Setting> settings;
    private final Map<String, Setting> last = new LinkedHashMap<>();

    public XlConfig(XlSource source, List<Setting> settings) {
        this.source = source;
        this.settings = List.copyOf(settings);
        for (Setting s : this.settings) last.put(s.name(), s);
    }

    public XlSource source() {
        return source;
    }

    /** Every stored assignment, in file order (repeats included). */
    public List<Setting> settings() {
        return settings;
    }

    /** The effective setting of a name: its last assignment. */
    public Optional<Setting> find(String name) {
        return Optional.ofNullable(last.get(name));
    }

    public boolean has(String name) {
        return last.containsKey(name);
    }

    /**
     * One setting per name, ordered by the position of each name's last assignment: the order
     * in which libxlutil's list yields them (and the oracle prints them).
     */
    public List<Setting> effective() {
        List<Setting> out = new ArrayList<>();
        for (Setting s : settings) {
            if (last.get(s.name()) == s) out.add(s);
        }
        return Collections.unmodifiableList(out);
    }

    // ---- libxlutil's accessors -------------------------------------------------------

    /** {@code xlu_cfg_get_string}: the value must be a single value. */
    public Lookup<String> string(String name) {
        Setting s = last.get(name);
        if (s == null) return Lookup.none();
        if (s.value() instanceof XlString str) return Lookup.ok(str.text(), s);
        return Lookup.refused(Lookup.Status.INVALID, s, warn(s, "parameter '" + name + "' is a list but should be a single value"));
    }

    /** {@code xlu_cfg_get_long}: {@code strtol(value, &end, 0)} over the whole value. */
    public Lookup<Long> longValue(String name) {
        return boundedLong(name, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** {@code xlu_cfg_get_bounded_long}. */
    public Lookup<Long> boundedLong(String name, long min, long max) {
        Setting s = last.get(name);
        if (s == null) return Lookup.none();
        if (!(s.value() instanceof XlString str)) {
            return Lookup.refused(Lookup.Status.INVALID, s, warn(s, "parameter '" + name + "' is a list but should be a single value"));
        }
        if (s.op() == Setting.Op.ADD) {
            return Lookup.refused(Lookup.Status.INVALID, s, warn(s, "can't use += with numbers for parameter '" + name + "'"));
        }
        CNumbers.Conversion c = CNumbers.strtol(str.text(), 0);
        if (c.range()) {
            return Lookup.refused(Lookup.Status.OUT_OF_RANGE, s,
                    warn(s, "parameter '" + name + "' could not be parsed as a number: Numerical result out of range"));
        }
        if (!c.digits() || c.end() != str.text().length()) {
            return Lookup.refused(Lookup.Status.INVALID, s, warn(s, "parameter '" + name + "' is not a valid number"));
        }
        if (c.value() < min) {
            return Lookup.refused(Lookup.Status.INVALID, s, warn(s, "value '" + c.value() + "' is smaller than minimum bound '" + min + "'"));
        }
        if (c.value() > max) {
            return Lookup.refused(Lookup.Status.INVALID, s, warn(s, "value '" + c.value() + "' is greater than maximum bound '" + max + "'"));
        }
        return Lookup.ok(c.value(), s);
    }

    /** {@code xlu_cfg_get_defbool}: a long; non-zero is true. */
    public Lookup<Boolean> defbool(String name) {
        Lookup<Long> l = longValue(name);
        if (!l.ok()) return new Lookup<>(l.status(), null, l.setting(), l.warning());
        return Lookup.ok(l.value() != 0, l.setting());
    }

    /** {@code xlu_cfg_get_list}: the value must be a list. */
    public Lookup<XlList> list(String name) {
        Setting s = last.get(name);
        if (s == null) return Lookup.none();
        if (s.value() instanceof XlList l) return Lookup.ok(l, s);
        return Lookup.refused(Lookup.Status.INVALID, s, warn(s, "parameter '" + name + "' is a single value but should be a list"));
    }

    /**
     * {@code xlu_cfg_get_list_as_string_list}: the items as strings; a nested list reads as
     * null (as {@code xlu_cfg_get_listitem} returns NULL for it).
     */
    public Lookup<List<String>> stringList(String name) {
        Lookup<XlList> l = list(name);
        if (!l.ok()) return new Lookup<>(l.status(), null, l.setting(), l.warning());
        List<String> out = new ArrayList<>();
        for (XlValue v : l.value().items()) out.add(v instanceof XlString s ? s.text() : null);
        return Lookup.ok(Collections.unmodifiableList(out), l.setting());
    }

    /**
     * {@code xlu_cfg_get_listitem} as xl's loops use it: the string items up to (not
     * including) the first nested list, where xl's {@code while (item != NULL)} loops stop.
     */
    public static List<XlString> leadingStrings(XlList list) {
        List<XlString> out = new ArrayList<>();
        for (XlValue v : list.items()) {
            if (!(v instanceof XlString s)) break;
            out.add(s);
        }
        return out;
    }

    private Diagnostic warn(Setting s, String message) {
        return new Diagnostic(Severity.WARNING, s.valueLocation(), message, List.of(), source.lineText(s.valueLocation()), 1);
    }
}
