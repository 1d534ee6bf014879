package org.xldt.dt;

import static org.xldt.dt.Check.Level.ERROR;
import static org.xldt.dt.Check.Level.INFO;
import static org.xldt.dt.Check.Level.WARNING;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The device-tree checks: a table of small named {@link Check}s in dtc 1.6.1's order, run the way
 * dtc's {@code checks.c} runs them (each check walks the whole tree; prerequisites first; a check
 * whose prerequisite failed reports {@code Failed prerequisite 'NAME'} and does not run).
 *
 * <p>Two things to know when checking trees built in code: dtc warns "cell N is not a phandle
 * reference" when a phandle+specifier value has value markers (it came from DTS) but no
 * {@link Marker.Kind#REF_PHANDLE} marker on that cell, and {@link Property#cells} adds a type
 * marker; build phandle cells without markers ({@code new Property(name, bytes)}) or with a
 * reference marker. And where a switch turns off {@code explicit_phandles} or
 * {@code addr_size_cells}, xldt still computes the phandles and cells the later checks read
 * (dtc reads zeros then); with dtc's default switches the two agree.
 *
 * <pre>{@code
 * List<Finding> all = Checks.run(tree);                           // default levels, as dtc
 * List<Finding> some = Checks.defaults().warn("no-unit_address_vs_reg").error("iommu_map").run(tree);
 * List<Finding> bad = Checks.danglingPhandles(tree);              // phandles that name no node
 * }</pre>
 */
public final class Checks {
    private Checks() {
    }

    private static final List<Check> TABLE;
    private static final Map<String, Integer> INDEX = new HashMap<>();

    static {
        List<Check> t = new ArrayList<>();
        // structure and names
        t.add(dtc("duplicate_node_names", ERROR, NameChecks::duplicateNodeNames));
        t.add(dtc("duplicate_property_names", ERROR, NameChecks::duplicatePropertyNames));
        t.add(dtc("node_name_chars", ERROR, NameChecks::nodeNameChars));
        t.add(dtc("node_name_format", ERROR, NameChecks::nodeNameFormat, "node_name_chars"));
        t.add(dtc("property_name_chars", ERROR, NameChecks::propertyNameChars));
        t.add(dtc("name_is_string", ERROR, ValueChecks.isString("name")));
        t.add(dtc("name_properties", ERROR, NameChecks::nameProperties, "name_is_string"));
        t.add(dtc("node_name_vs_property_name", WARNING, NameChecks::nodeNameVsPropertyName, "node_name_chars"));
        t.add(dtc("duplicate_label", ERROR, NameChecks::duplicateLabel));
        // phandles and references
        t.add(dtc("explicit_phandles", ERROR, PhandleChecks::explicitPhandles));
        t.add(dtc("phandle_references", ERROR, PhandleChecks::phandleReferences, "duplicate_node_names", "explicit_phandles"));
        t.add(dtc("path_references", ERROR, PhandleChecks::pathReferences, "duplicate_node_names"));
        // value types
        t.add(dtc("address_cells_is_cell", WARNING, ValueChecks.isCell("#address-cells")));
        t.add(dtc("size_cells_is_cell", WARNING, ValueChecks.isCell("#size-cells")));
        t.add(dtc("device_type_is_string", WARNING, ValueChecks.isString("device_type")));
        t.add(dtc("model_is_string", WARNING, ValueChecks.isString("model")));
        t.add(dtc("status_is_string", WARNING, ValueChecks.isString("status")));
        t.add(dtc("label_is_string", WARNING, ValueChecks.isString("label")));
        t.add(dtc("compatible_is_string_list", WARNING, ValueChecks.isStringList("compatible")));
        t.add(dtc("names_is_string_list", WARNING, ValueChecks::namesIsStringList));
        t.add(dtc("property_name_chars_strict", INFO, NameChecks::propertyNameCharsStrict));
        t.add(dtc("node_name_chars_strict", INFO, NameChecks::nodeNameCharsStrict));
        // addresses
        t.add(dtc("addr_size_cells", WARNING, AddressChecks::addrSizeCells, "address_cells_is_cell", "size_cells_is_cell"));
        t.add(dtc("reg_format", WARNING, AddressChecks::regFormat, "addr_size_cells"));
        t.add(dtc("ranges_format", WARNING, AddressChecks.rangesFormat("ranges"), "addr_size_cells"));
        t.add(dtc("dma_ranges_format", WARNING, AddressChecks.rangesFormat("dma-ranges"), "addr_size_cells"));
        t.add(dtc("unit_address_vs_reg", WARNING, AddressChecks::unitAddressVsReg));
        t.add(dtc("unit_address_format", WARNING, AddressChecks::unitAddressFormat, "node_name_format", "pci_bridge", "simple_bus_bridge"));
        t.add(dtc("pci_bridge", WARNING, AddressChecks::pciBridge, "device_type_is_string", "addr_size_cells"));
        t.add(dtc("pci_device_reg", WARNING, AddressChecks::pciDeviceReg, "reg_format", "pci_bridge"));
        t.add(dtc("pci_device_bus_num", WARNING, AddressChecks::pciDeviceBusNum, "reg_format", "pci_bridge"));
        t.add(dtc("simple_bus_bridge", WARNING, AddressChecks::simpleBusBridge, "addr_size_cells", "compatible_is_string_list"));
        t.add(dtc("simple_bus_reg", WARNING, AddressChecks::simpleBusReg, "reg_format", "simple_bus_bridge"));
        t.add(dtc("i2c_bus_bridge", WARNING, AddressChecks::i2cBusBridge, "addr_size_cells"));
        t.add(dtc("i2c_bus_reg", WARNING, AddressChecks::i2cBusReg, "reg_format", "i2c_bus_bridge"));
        t.add(dtc("spi_bus_bridge", WARNING, AddressChecks::spiBusBridge, "addr_size_cells"));
        t.add(dtc("spi_bus_reg", WARNING, AddressChecks::spiBusReg, "reg_format", "spi_bus_bridge"));
        t.add(dtc("avoid_default_addr_size", WARNING, AddressChecks::avoidDefaultAddrSize, "addr_size_cells"));
        t.add(dtc("avoid_unnecessary_addr_size", WARNING, AddressChecks::avoidUnnecessaryAddrSize, "avoid_default_addr_size"));
        t.add(dtc("unique_unit_address", WARNING, AddressChecks.uniqueUnitAddress(false), "avoid_default_addr_size"));
        t.add(dtc("unique_unit_address_if_enabled", INFO, AddressChecks.uniqueUnitAddress(true), "avoid_default_addr_size"));
        // /chosen
        t.add(dtc("obsolete_chosen_interrupt_controller", WARNING, ValueChecks::obsoleteChosenInterruptController));
        t.add(dtc("chosen_node_is_root", WARNING, ValueChecks::chosenNodeIsRoot));
        t.add(dtc("chosen_node_bootargs", WARNING, ValueChecks::chosenNodeBootargs));
        t.add(dtc("chosen_node_stdout_path", WARNING, ValueChecks::chosenNodeStdoutPath));
        // phandle + specifier lists
        for (PhandleChecks.Provider p : PhandleChecks.DTC_PROVIDERS) {
            String stem = p.stem();
            t.add(dtc(stem + "_property", WARNING, PhandleChecks.providerCheck(p), stem + "_is_cell", "phandle_references"));
            t.add(dtc(stem + "_is_cell", WARNING, ValueChecks.isCell(p.cellsProperty())));
        }
        t.add(dtc("deprecated_gpio_property", INFO, PhandleChecks::deprecatedGpioProperty));
        t.add(dtc("gpios_property", WARNING, PhandleChecks::gpiosProperty, "phandle_references"));
        // interrupts
        t.add(dtc("interrupts_property", WARNING, PhandleChecks::interruptsProperty));
        t.add(dtc("interrupt_provider", WARNING, PhandleChecks::interruptProvider));
        t.add(dtc("alias_paths", WARNING, ValueChecks::aliasPaths));
        // OF graph
        t.add(dtc("graph_nodes", WARNING, GraphChecks::graphNodes));
        t.add(dtc("graph_child_address", WARNING, GraphChecks::graphChildAddress, "graph_nodes"));
        t.add(dtc("graph_port", WARNING, GraphChecks::graphPort, "graph_nodes"));
        t.add(dtc("graph_endpoint", WARNING, GraphChecks::graphEndpoint, "graph_nodes"));
        t.add(dtc("always_fail", INFO, ValueChecks::alwaysFail));
        // xldt's own checks come last, so that they never change what dtc's checks report
        t.add(own("node_name_not_empty", ERROR, NameChecks::nodeNameNotEmpty));
        t.add(own("dangling_phandles", ERROR, PhandleChecks::danglingPhandles));
        t.add(own("interrupt_parent", WARNING, PhandleChecks::interruptParent));
        t.add(own("iommu_map", WARNING, PhandleChecks::iommuMap));
        t.add(own("iommu_map_mask", WARNING, PhandleChecks::iommuMapMask));
        TABLE = Collections.unmodifiableList(t);
        for (int i = 0; i < t.size(); i++) {
            if (INDEX.put(t.get(i).name(), i) != null) throw new IllegalStateException("duplicate check " + t.get(i).name());
        }
        for (Check c : t) {
            for (String p : c.prereqs()) {
                if (!INDEX.containsKey(p)) throw new IllegalStateException(c.name() + ": unknown prerequisite " + p);
            }
        }
    }

    private static Check dtc(String name, Check.Level level, Check.Fn fn, String... prereqs) {
        return new Check(name, level, fn, List.of(prereqs), true);
    }

    private static Check own(String name, Check.Level level, Check.Fn fn, String... prereqs) {
        return new Check(name, level, fn, List.of(prereqs), false);
    }

    /** All checks, in the order they run. */
    public static List<Check> table() {
        return TABLE;
    }

    /** The check of that name, or null. */
    public static Check check(String name) {
        Integer i = INDEX.get(name);
        return i == null ? null : TABLE.get(i);
    }

    /** Runs the checks at their default levels (dtc's defaults, plus xldt's own checks). */
    public static List<Finding> run(DeviceTree tree) {
        return defaults().run(tree);
    }

    /**
     * The {@code dangling_phandles} findings alone: every phandle cell of a known phandle-bearing
     * property ({@code interrupt-parent}, {@code iommus}, {@code iommu-map}, {@code clocks}, ...)
     * that names no node. Empty when the tree has no dangling phandle.
     */
    public static List<Finding> danglingPhandles(DeviceTree tree) {
        return none().error("dangling_phandles").run(tree);
    }

    /** A selection with every check at its default level. */
    public static Selection defaults() {
        return new Selection(true);
    }

    /** A selection with every check off; turn some on with {@link Selection#warn}/{@link Selection#error}. */
    public static Selection none() {
        return new Selection(false);
    }

    /**
     * Which checks report, and at which level: dtc's two switches per check. {@code -W}
     * ({@link #warn}) and {@code -E} ({@link #error}) turn a check's warning or error switch on
     * ({@code NAME}) or off ({@code no-NAME} or {@code no_NAME}); turning one on also turns on its
     * prerequisites, turning one off also turns off the checks that need it. A check with its
     * error switch on reports ERROR, else with its warning switch on WARNING, else nothing (it
     * still runs when another check needs it).
     */
    public static final class Selection {
        private final boolean[] warn = new boolean[TABLE.size()];
        private final boolean[] error = new boolean[TABLE.size()];
        private boolean keepGoing;

        private Selection(boolean defaults) {
            if (!defaults) return;
            for (int i = 0; i < TABLE.size(); i++) {
                warn[i] = TABLE.get(i).level() == WARNING;
                error[i] = TABLE.get(i).level() == ERROR;
            }
        }

        /**
         * dtc's {@code -W ARG}: {@code NAME} or {@code no-NAME}.
         *
         * @throws IllegalArgumentException {@code Unrecognized check name "NAME"}
         */
        public Selection warn(String arg) {
            return apply(arg, true, false);
        }

        /**
         * dtc's {@code -E ARG}: {@code NAME} or {@code no-NAME}.
         *
         * @throws IllegalArgumentException {@code Unrecognized check name "NAME"}
         */
        public Selection error(String arg) {
            return apply(arg, false, true);
        }

        private Selection apply(String arg, boolean w, boolean e) {
            String name = arg;
            boolean enable = true;
            if (arg.startsWith("no-") || arg.startsWith("no_")) {
                name = arg.substring(3);
                enable = false;
            }
            Integer i = INDEX.get(name);
            if (i == null) throw new IllegalArgumentException("Unrecognized check name \"" + name + "\"");
            if (enable) raise(i, w, e);
            else lower(i, w, e);
            return this;
        }

        private void raise(int i, boolean w, boolean e) {
            if ((w && !warn[i]) || (e && !error[i])) {
                for (String p : TABLE.get(i).prereqs()) raise(INDEX.get(p), w, e);
            }
            warn[i] |= w;
            error[i] |= e;
        }

        private void lower(int i, boolean w, boolean e) {
            if ((w && warn[i]) || (e && error[i])) {
                String name = TABLE.get(i).name();
                for (int j = 0; j < TABLE.size(); j++) {
                    if (TABLE.get(j).prereqs().contains(name)) lower(j, w, e);
                }
            }
            warn[i] &= !w;
            error[i] &= !e;
        }

        /**
         * Whether every selected check runs even after one failed at ERROR level. dtc (and the
         * default) stops there, so that later checks do not report on a tree known to be broken.
         */
        public Selection keepGoing(boolean on) {
            keepGoing = on;
            return this;
        }

        /** The level the check reports at, or null when it does not report. */
        public Check.Level levelOf(String name) {
            Integer i = INDEX.get(name);
            if (i == null) throw new IllegalArgumentException("Unrecognized check name \"" + name + "\"");
            return level(i);
        }

        private Check.Level level(int i) {
            return error[i] ? ERROR : warn[i] ? WARNING : null;
        }

        /** Runs the selected checks (and, silently, their prerequisites) over the tree. */
        public List<Finding> run(DeviceTree tree) {
            return new Run(tree, this).all();
        }
    }

    private enum Status { UNCHECKED, PREREQ, PASSED, FAILED }

    /**
     * One run: dtc's {@code process_checks} and {@code run_check}. As in dtc, once a check fails
     * at ERROR level no further check runs (dtc's {@code error = error || run_check(c)}), also
     * among a check's prerequisites; a prerequisite left unrun counts as failed. With
     * {@link Selection#keepGoing} every selected check runs.
     */
    private static final class Run {
        private final CheckContext ctx;
        private final Selection sel;
        private final Status[] status = new Status[TABLE.size()];

        Run(DeviceTree tree, Selection sel) {
            this.ctx = new CheckContext(tree);
            this.sel = sel;
            Arrays.fill(status, Status.UNCHECKED);
            ctx.attempted(name -> status[INDEX.get(name)] != Status.UNCHECKED);
        }

        List<Finding> all() {
            boolean error = false;
            for (int i = 0; i < TABLE.size(); i++) {
                if (sel.level(i) == null || (error && !sel.keepGoing)) continue;
                error |= run(i);
            }
            return List.copyOf(ctx.findings());
        }

        /** Runs check {@code i} once; true if it (or a prerequisite run for it) failed at ERROR level. */
        private boolean run(int i) {
            boolean error = false;
            if (status[i] == Status.UNCHECKED) {
                Check c = TABLE.get(i);
                for (String p : c.prereqs()) {
                    int pi = INDEX.get(p);
                    if (!error || sel.keepGoing) error |= run(pi);
                    if (status[pi] != Status.PASSED) {
                        status[i] = Status.PREREQ;
                        ctx.begin(c, sel.level(i));
                        ctx.note("Failed prerequisite '" + p + "'");
                    }
                }
                if (status[i] == Status.UNCHECKED) {
                    ctx.begin(c, sel.level(i));
                    for (Node n : ctx.nodes()) c.fn().check(ctx, n);
                    status[i] = ctx.failed() ? Status.FAILED : Status.PASSED;
                }
            }
            return error || (status[i] != Status.PASSED && sel.error[i]);
        }
    }
}
