package org.xldt.dt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One failing and one passing tree per check, built with the model API: the failing tree gives
 * exactly the listed findings of that check, the passing tree none.
 */
class ChecksTest {

    // ---- tree building ------------------------------------------------------------------------------

    /** Cells without value markers, as a DTB gives them. */
    static Property c(String name, long... cells) {
        byte[] b = new byte[cells.length * 4];
        for (int i = 0; i < cells.length; i++) Property.putU32(b, i * 4, (int) cells[i]);
        return new Property(name, b);
    }

    static Property s(String name, String... strings) {
        return Property.strings(name, strings);
    }

    static Property e(String name) {
        return Property.empty(name);
    }

    static Property raw(String name, String bytes) {
        return new Property(name, bytes.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    static Node n(Node parent, String name, Property... props) {
        Node node = parent.addChild(name);
        for (Property p : props) node.append(p);
        return node;
    }

    /** A tree whose root has #address-cells = #size-cells = 1, built by {@code build}. */
    static DeviceTree tree(Consumer<Node> build) {
        DeviceTree t = new DeviceTree();
        t.root().append(c("#address-cells", 1)).append(c("#size-cells", 1));
        build.accept(t.root());
        return t;
    }

    /** The findings of one check at its default level (INFO checks turned on as warnings). */
    static List<String> findings(String check, DeviceTree t) {
        Check c = Checks.check(check);
        Checks.Selection sel = Checks.none().keepGoing(true);
        if (c.level() == Check.Level.ERROR) sel.error(check);
        else sel.warn(check);
        List<String> out = new ArrayList<>();
        for (Finding f : sel.run(t)) if (f.check().equals(check)) out.add(f.render());
        return out;
    }

    record Case(String check, Consumer<Node> bad, List<String> expected, Consumer<Node> good) {
        @Override
        public String toString() {
            return check;
        }
    }

    static Case k(String check, Consumer<Node> bad, List<String> expected, Consumer<Node> good) {
        return new Case(check, bad, expected, good);
    }

    // ---- the cases --------------------------------------------------------------------------------------

    static final String MISSING = "Missing property '%s' in node %s or bad phandle (referred from %s[%d])";

    static List<Case> cases() {
        List<Case> l = new ArrayList<>();
        // structure and names
        l.add(k("duplicate_node_names", r -> {
            n(r, "a");
            n(r, "a");
            n(r, "a");
        }, List.of("ERROR (duplicate_node_names): /a: Duplicate node name", "ERROR (duplicate_node_names): /a: Duplicate node name",
                "ERROR (duplicate_node_names): /a: Duplicate node name"), r -> {
            n(r, "a");
            n(r, "a@1");
        }));
        l.add(k("duplicate_property_names", r -> n(r, "x", c("p", 1), c("q", 1), c("p", 2)),
                List.of("ERROR (duplicate_property_names): /x:p: Duplicate property name"),
                r -> n(r, "x", c("p", 1), c("q", 1))));
        l.add(k("node_name_chars", r -> n(r, "a$b"), List.of("ERROR (node_name_chars): /a$b: Bad character '$' in node name"),
                r -> n(r, "a_b,c.d+e-f@1")));
        l.add(k("node_name_format", r -> n(r, "a@1@2"), List.of("ERROR (node_name_format): /a@1@2: multiple '@' characters in node name"),
                r -> n(r, "a@1,2")));
        l.add(k("property_name_chars", r -> n(r, "x", e("a=b")),
                List.of("ERROR (property_name_chars): /x:a=b: Bad character '=' in property name"),
                r -> n(r, "x", e("#a,b.c_d+e*f?g-h"))));
        l.add(k("name_is_string", r -> n(r, "x", c("name", 1)), List.of("ERROR (name_is_string): /x:name: property is not a string"),
                r -> n(r, "x", s("name", "x"))));
        l.add(k("name_properties", r -> n(r, "x@1", s("name", "y")),
                List.of("ERROR (name_properties): /x@1: \"name\" property is incorrect (\"y\" instead of base node name)"),
                r -> n(r, "x@1", s("name", "x"))));
        l.add(k("node_name_vs_property_name", r -> {
            r.append(e("x"));
            n(r, "x");
        }, List.of("Warning (node_name_vs_property_name): /x: node name and property name conflict"), r -> {
            r.append(e("y"));
            n(r, "x");
        }));
        l.add(k("duplicate_label", r -> {
            n(r, "a").addLabel("l");
            n(r, "b").addLabel("l");
            n(r, "c").append(e("p").withLabels(List.of("l")));
        }, List.of("ERROR (duplicate_label): /b: Duplicate label 'l' on /b and /a",
                "ERROR (duplicate_label): /c: Duplicate label 'l' on 'p' in /c and /a"), r -> {
            n(r, "a").addLabel("l");
            n(r, "b").addLabel("m");
        }));
        l.add(k("node_name_not_empty", r -> {
            n(r, "");
            n(r, "@1", c("reg", 1, 1));
        }, List.of("ERROR (node_name_not_empty): /: node has an empty name",
                "ERROR (node_name_not_empty): /@1: node name has nothing before '@'"), r -> n(r, "a@1", c("reg", 1, 1))));
        // phandles and references
        l.add(k("explicit_phandles", r -> {
            n(r, "a", c("phandle", 1));
            n(r, "b", c("phandle", 1));
            n(r, "c", c("phandle", 0));
            n(r, "d", raw("phandle", "abc"));
            n(r, "e", c("phandle", 5), c("linux,phandle", 6));
        }, List.of("ERROR (explicit_phandles): /b: duplicated phandle 0x1 (seen before at /a)",
                "ERROR (explicit_phandles): /c:phandle: bad value (0x0) in phandle property",
                "ERROR (explicit_phandles): /d:phandle: bad length (3) phandle property",
                "ERROR (explicit_phandles): /e: mismatching 'phandle' and 'linux,phandle' properties"), r -> {
            n(r, "a", c("phandle", 1));
            n(r, "b", c("phandle", 2), c("linux,phandle", 2));
        }));
        l.add(k("phandle_references", r -> n(r, "x", c("clocks", 0).withValue(new byte[4],
                List.of(new Marker(0, Marker.Kind.REF_PHANDLE, "nolabel")))),
                List.of("ERROR (phandle_references): /x: Reference to non-existent node or label \"nolabel\""), r -> {
            n(r, "clk", c("phandle", 1)).addLabel("clk");
            n(r, "x", c("clocks", 1).withValue(Property.cells("v", 1).value(), List.of(new Marker(0, Marker.Kind.REF_PHANDLE, "clk"))));
        }));
        l.add(k("path_references", r -> n(r, "x", s("p", "").withValue(new byte[] {0},
                List.of(new Marker(0, Marker.Kind.REF_PATH, "/nowhere")))),
                List.of("ERROR (path_references): /x: Reference to non-existent node or label \"/nowhere\""),
                r -> n(r, "x", s("p", "/x").withValue("/x\0".getBytes(), List.of(new Marker(0, Marker.Kind.REF_PATH, "/x"))))));
        // value types
        for (String[] v : new String[][] {{"address_cells_is_cell", "#address-cells"}, {"size_cells_is_cell", "#size-cells"}}) {
            l.add(k(v[0], r -> n(r, "x", c(v[1], 1, 1)), List.of("Warning (" + v[0] + "): /x:" + v[1] + ": property is not a single cell"),
                    r -> n(r, "x", c(v[1], 1))));
        }
        for (String[] v : new String[][] {{"device_type_is_string", "device_type"}, {"model_is_string", "model"},
                {"status_is_string", "status"}, {"label_is_string", "label"}}) {
            l.add(k(v[0], r -> n(r, "x", s(v[1], "a", "b")), List.of("Warning (" + v[0] + "): /x:" + v[1] + ": property is not a string"),
                    r -> n(r, "x", s(v[1], "a"))));
        }
        l.add(k("compatible_is_string_list", r -> n(r, "x", raw("compatible", "a\0b")),
                List.of("Warning (compatible_is_string_list): /x:compatible: property is not a string list"),
                r -> n(r, "x", s("compatible", "a", "b"))));
        l.add(k("names_is_string_list", r -> n(r, "x", raw("clock-names", "apb")),
                List.of("Warning (names_is_string_list): /x:clock-names: property is not a string list"),
                r -> n(r, "x", s("clock-names", "apb", "ahb"), raw("names", "x"))));
        l.add(k("property_name_chars_strict", r -> n(r, "x", e("foo_bar")),
                List.of("Warning (property_name_chars_strict): /x:foo_bar: Character '_' not recommended in property name"),
                r -> n(r, "x", e("vendor,#foo-cells"), e("device_type"))));
        l.add(k("node_name_chars_strict", r -> n(r, "foo_bar"),
                List.of("Warning (node_name_chars_strict): /foo_bar: Character '_' not recommended in node name"),
                r -> n(r, "foo-bar@1_2", c("reg", 1, 1))));
        // addresses
        l.add(k("addr_size_cells", r -> n(r, "x", c("#address-cells", 1, 1)),
                List.of("Warning (addr_size_cells): Failed prerequisite 'address_cells_is_cell'"), r -> n(r, "x", c("#address-cells", 1))));
        l.add(k("reg_format", r -> {
            r.append(c("reg", 0, 1));
            n(r, "x@1", c("reg", 1, 2, 3));
            n(r, "y@2", e("reg"));
        }, List.of("Warning (reg_format): /: Root node has a \"reg\" property",
                "Warning (reg_format): /x@1:reg: property has invalid length (12 bytes) (#address-cells == 1, #size-cells == 1)",
                "Warning (reg_format): /y@2:reg: property is empty"), r -> n(r, "x@1", c("reg", 1, 2, 3, 4))));
        l.add(k("ranges_format", r -> {
            n(r, "bus@0", c("#address-cells", 1), c("#size-cells", 1), c("ranges", 0, 0));
            n(r, "bus@1", c("#address-cells", 2), c("#size-cells", 2), e("ranges"));
        }, List.of("Warning (ranges_format): /bus@0:ranges: \"ranges\" property has invalid length (8 bytes) (parent #address-cells == 1, child #address-cells == 1, #size-cells == 1)",
                "Warning (ranges_format): /bus@1:ranges: empty \"ranges\" property but its #address-cells (2) differs from / (1)",
                "Warning (ranges_format): /bus@1:ranges: empty \"ranges\" property but its #size-cells (2) differs from / (1)"), r -> {
            n(r, "bus@0", c("#address-cells", 1), c("#size-cells", 1), c("ranges", 0, 0, 0x1000));
            n(r, "bus@1", c("#address-cells", 1), c("#size-cells", 1), e("ranges"));
        }));
        l.add(k("dma_ranges_format", r -> n(r, "bus@0", c("#address-cells", 2), c("#size-cells", 1), c("dma-ranges", 0, 0, 0)),
                List.of("Warning (dma_ranges_format): /bus@0:dma-ranges: \"dma-ranges\" property has invalid length (12 bytes) (parent #address-cells == 1, child #address-cells == 2, #size-cells == 1)"),
                r -> n(r, "bus@0", c("#address-cells", 2), c("#size-cells", 1), c("dma-ranges", 0, 0, 0, 0))));
        l.add(k("unit_address_vs_reg", r -> {
            n(r, "x@1");
            n(r, "y", c("reg", 1, 1));
            n(r, "z@2", e("ranges"));
        }, List.of("Warning (unit_address_vs_reg): /x@1: node has a unit name, but no reg or ranges property",
                "Warning (unit_address_vs_reg): /y: node has a reg or ranges property, but no unit name",
                "Warning (unit_address_vs_reg): /z@2: node has a unit name, but no reg or ranges property"), r -> {
            n(r, "x@1", c("reg", 1, 1));
            n(r, "z", e("ranges"));
            n(n(r, "fragment@0"), "__overlay__");
        }));
        l.add(k("unit_address_format", r -> {
            n(r, "x@0x1", c("reg", 1, 1));
            n(r, "y@01", c("reg", 1, 1));
        }, List.of("Warning (unit_address_format): /x@0x1: unit name should not have leading \"0x\"",
                "Warning (unit_address_format): /y@01: unit name should not have leading 0s"), r -> {
            n(r, "x@1", c("reg", 1, 1));
            n(r, "y@0", c("reg", 0, 1));
        }));
        // buses
        l.add(k("pci_bridge", r -> n(r, "bridge@0", s("device_type", "pci"), c("reg", 0, 1), c("bus-range", 0x101, 0x100)),
                List.of("Warning (pci_bridge): /bridge@0: node name is not \"pci\" or \"pcie\"",
                        "Warning (pci_bridge): /bridge@0: missing ranges for PCI bridge (or not a bridge)",
                        "Warning (pci_bridge): /bridge@0: incorrect #address-cells for PCI bridge",
                        "Warning (pci_bridge): /bridge@0: incorrect #size-cells for PCI bridge",
                        "Warning (pci_bridge): /bridge@0:bus-range: 1st cell must be less than or equal to 2nd cell",
                        "Warning (pci_bridge): /bridge@0:bus-range: maximum bus number must be less than 256"),
                r -> pciBridge(r, 0, 1)));
        l.add(k("pci_device_reg", r -> n(pciBridge(r, 0, 1), "dev@1", c("reg", 0x1100, 0, 0, 0, 0)),
                List.of("Warning (pci_device_reg): /pcie@0/dev@1: PCI unit address format error, expected \"2,1\""),
                r -> {
                    Node b = pciBridge(r, 0, 1);
                    n(b, "dev@2,1", c("reg", 0x1100, 0, 0, 0, 0));
                    n(b, "dev@3", c("reg", 0x1800, 0, 0, 0, 0));
                }));
        l.add(k("pci_device_bus_num", r -> n(pciBridge(r, 1, 2), "dev@0", c("reg", 0x20000, 0, 0, 0, 0)),
                // dtc 1.6.1 reads both ends of the range from the first cell of bus-range
                List.of("Warning (pci_device_bus_num): /pcie@0/dev@0:bus-range: PCI bus number 2 out of range, expected (1 - 1)"),
                r -> n(pciBridge(r, 1, 2), "dev@0", c("reg", 0x10000, 0, 0, 0, 0))));
        l.add(k("simple_bus_bridge", r -> n(r, "soc", raw("compatible", "simple-bus")),
                List.of("Warning (simple_bus_bridge): Failed prerequisite 'compatible_is_string_list'"),
                r -> n(r, "soc", s("compatible", "simple-bus"))));
        l.add(k("simple_bus_reg", r -> {
            Node soc = n(r, "soc", s("compatible", "simple-bus"), c("#address-cells", 1), c("#size-cells", 1), e("ranges"));
            n(soc, "uart@1000", c("reg", 0x2000, 0x100));
            n(soc, "dev", s("compatible", "x"));
        }, List.of("Warning (simple_bus_reg): /soc/uart@1000: simple-bus unit address format error, expected \"2000\"",
                "Warning (simple_bus_reg): /soc/dev: missing or empty reg/ranges property"), r -> {
            Node soc = n(r, "soc", s("compatible", "simple-bus"), c("#address-cells", 1), c("#size-cells", 1), e("ranges"));
            n(soc, "uart@2000", c("reg", 0x2000, 0x100));
            n(soc, "sub@9000", c("#address-cells", 1), c("#size-cells", 1), c("ranges", 0, 0x9000, 0x100));
        }));
        l.add(k("i2c_bus_bridge", r -> n(n(r, "i2c@0", c("reg", 0, 1), c("#address-cells", 1), c("#size-cells", 1)), "x@1", c("reg", 1, 1)),
                List.of("Warning (i2c_bus_bridge): /i2c@0: incorrect #size-cells for I2C bus"),
                r -> n(n(r, "i2c@0", c("reg", 0, 1), c("#address-cells", 1), c("#size-cells", 0)), "x@1", c("reg", 1))));
        l.add(k("i2c_bus_reg", r -> {
            Node i2c = n(r, "i2c@0", c("reg", 0, 1), c("#address-cells", 1), c("#size-cells", 0));
            n(i2c, "eeprom@50", c("reg", 0x51));
            n(i2c, "big@80", c("reg", 0x80));
            n(i2c, "ten@80000400", c("reg", 0x80000400L));
            n(i2c, "ten@80000200", c("reg", 0x80000200L));
            n(i2c, "none");
        }, List.of("Warning (i2c_bus_reg): /i2c@0/eeprom@50: I2C bus unit address format error, expected \"51\"",
                "Warning (i2c_bus_reg): /i2c@0/big@80:reg: I2C address must be less than 7-bits, got \"0x80\". Set I2C_TEN_BIT_ADDRESS for 10 bit addresses or fix the property",
                "Warning (i2c_bus_reg): /i2c@0/ten@80000400:reg: I2C address must be less than 10-bits, got \"0x80000400\"",
                // dtc 1.6.1: a 10-bit address in range falls through to the 7-bit test
                "Warning (i2c_bus_reg): /i2c@0/ten@80000200:reg: I2C address must be less than 7-bits, got \"0x80000200\". Set I2C_TEN_BIT_ADDRESS for 10 bit addresses or fix the property",
                "Warning (i2c_bus_reg): /i2c@0/none: missing or empty reg property"), r -> {
            Node i2c = n(r, "i2c@0", c("reg", 0, 1), c("#address-cells", 1), c("#size-cells", 0));
            n(i2c, "eeprom@50", c("reg", 0x50));
            n(i2c, "slave@10", c("reg", 0x40000010)); // the own-slave flag is not part of the address
        }));
        l.add(k("spi_bus_bridge", r -> {
            n(n(r, "spi@0", c("reg", 0, 1), c("#address-cells", 2), c("#size-cells", 0)), "flash@0,0", c("reg", 0, 0));
            n(n(r, "qspi@1", c("reg", 1, 1), c("#address-cells", 1), c("#size-cells", 0)), "flash@0", c("reg", 0), c("spi-max-frequency", 1));
        }, List.of("Warning (spi_bus_bridge): /spi@0: incorrect #address-cells for SPI bus",
                "Warning (spi_bus_bridge): /qspi@1: node name for SPI buses should be 'spi'"), r -> {
            n(n(r, "spi@0", c("reg", 0, 1), c("#address-cells", 1), c("#size-cells", 0)), "flash@0", c("reg", 0));
            n(n(r, "spi@1", c("reg", 1, 1), c("#address-cells", 0), c("#size-cells", 0), e("spi-slave")), "slave");
        }));
        l.add(k("spi_bus_reg", r -> {
            Node spi = n(r, "spi@0", c("reg", 0, 1), c("#address-cells", 1), c("#size-cells", 0));
            n(spi, "flash@0", c("reg", 1));
            n(spi, "nothing");
        }, List.of("Warning (spi_bus_reg): /spi@0/flash@0: SPI bus unit address format error, expected \"1\"",
                "Warning (spi_bus_reg): /spi@0/nothing: missing or empty reg property"),
                r -> n(n(r, "spi@0", c("reg", 0, 1), c("#address-cells", 1), c("#size-cells", 0)), "flash@1", c("reg", 1))));
        l.add(k("avoid_default_addr_size", r -> n(n(r, "x"), "y@1", c("reg", 1, 1)),
                List.of("Warning (avoid_default_addr_size): /x/y@1: Relying on default #address-cells value",
                        "Warning (avoid_default_addr_size): /x/y@1: Relying on default #size-cells value"),
                r -> n(n(r, "x", c("#address-cells", 1), c("#size-cells", 1)), "y@1", c("reg", 1, 1))));
        l.add(k("avoid_unnecessary_addr_size", r -> n(n(r, "chosen", c("#address-cells", 1), c("#size-cells", 1)), "module"),
                List.of("Warning (avoid_unnecessary_addr_size): /chosen: unnecessary #address-cells/#size-cells without \"ranges\" or child \"reg\" property"),
                r -> n(n(r, "chosen", c("#address-cells", 1), c("#size-cells", 1)), "module@1", c("reg", 1, 1))));
        l.add(k("unique_unit_address", r -> {
            n(r, "a@1", c("reg", 1, 1));
            n(r, "b@1", c("reg", 1, 1), s("status", "disabled"));
        }, List.of("Warning (unique_unit_address): /a@1: duplicate unit-address (also used in node /b@1)"), r -> {
            n(r, "a@1", c("reg", 1, 1));
            n(r, "b@2", c("reg", 2, 1));
        }));
        l.add(k("unique_unit_address_if_enabled", r -> {
            n(r, "a@1", c("reg", 1, 1));
            n(r, "b@1", c("reg", 1, 1));
        }, List.of("Warning (unique_unit_address_if_enabled): /a@1: duplicate unit-address (also used in node /b@1)"), r -> {
            n(r, "a@1", c("reg", 1, 1));
            n(r, "b@1", c("reg", 1, 1), s("status", "disabled"));
        }));
        // /chosen and /aliases
        l.add(k("obsolete_chosen_interrupt_controller", r -> n(r, "chosen", e("interrupt-controller")),
                List.of("Warning (obsolete_chosen_interrupt_controller): /:interrupt-controller: /chosen has obsolete \"interrupt-controller\" property"),
                r -> n(r, "chosen")));
        l.add(k("chosen_node_is_root", r -> n(n(r, "x"), "chosen"),
                List.of("Warning (chosen_node_is_root): /x/chosen: chosen node must be at root node"), r -> n(r, "chosen")));
        l.add(k("chosen_node_bootargs", r -> n(r, "chosen", s("bootargs", "a", "b")),
                List.of("Warning (chosen_node_bootargs): /chosen:bootargs: property is not a string"),
                r -> n(r, "chosen", s("bootargs", "console=hvc0"))));
        l.add(k("chosen_node_stdout_path", r -> n(r, "chosen", s("linux,stdout-path", "a", "b")),
                List.of("Warning (chosen_node_stdout_path): /chosen:linux,stdout-path: Use 'stdout-path' instead",
                        "Warning (chosen_node_stdout_path): /chosen:linux,stdout-path: property is not a string"),
                r -> n(r, "chosen", s("stdout-path", "serial0:115200n8"))));
        l.add(k("alias_paths", r -> {
            n(r, "serial@1", c("reg", 1, 1));
            n(r, "aliases", s("serial0", "/serial@2"), s("Serial1", "/serial@1"), e("serial2"));
        }, List.of("Warning (alias_paths): /aliases:serial0: aliases property is not a valid node (/serial@2)",
                "Warning (alias_paths): /aliases: aliases property name must include only lowercase and '-'",
                "Warning (alias_paths): /aliases:serial2: aliases property is not a valid node ((null))"), r -> {
            n(r, "serial@1", c("reg", 1, 1));
            n(r, "aliases", s("serial0", "/serial@1"), s("serial1", "serial@1"), s("root", ""), c("phandle", 7));
        }));
        // phandle + specifier lists, one pair of checks per provider
        for (PhandleChecks.Provider p : PhandleChecks.DTC_PROVIDERS) {
            String stem = p.stem();
            String prop = p.property();
            String cells = p.cellsProperty();
            l.add(k(stem + "_property", r -> {
                n(r, "provider", c("phandle", 1), c(cells, 1));
                n(r, "consumer", c(prop, 1));
            }, List.of("Warning (" + stem + "_property): /consumer:" + prop + ": property size (4) too small for cell size 1"), r -> {
                n(r, "provider", c("phandle", 1), c(cells, 1));
                n(r, "consumer", c(prop, 1, 5, 0, 1, 6));
            }));
            l.add(k(stem + "_is_cell", r -> n(r, "provider", c(cells, 1, 1)),
                    List.of("Warning (" + stem + "_is_cell): /provider:" + cells + ": property is not a single cell"),
                    r -> n(r, "provider", c(cells, 1))));
        }
        l.add(k("deprecated_gpio_property", r -> n(r, "x", c("reset-gpio", 1, 2)),
                List.of("Warning (deprecated_gpio_property): /x:reset-gpio: '[*-]gpio' is deprecated, use '[*-]gpios' instead"),
                r -> n(r, "x", c("reset-gpios", 1, 2), c("vendor,nr-gpios", 3))));
        l.add(k("gpios_property", r -> {
            n(r, "gpio", c("phandle", 1), c("#gpio-cells", 2));
            n(r, "x", c("reset-gpios", 1, 3));
            n(r, "y", c("gpios", 1, 3, 0), c("enable-gpio", 2, 1, 1));
        }, List.of("Warning (gpios_property): /x:reset-gpios: property size (8) too small for cell size 2",
                "Warning (gpios_property): /y:enable-gpio: Could not get phandle node for (cell 0)"), r -> {
            n(r, "gpio", c("phandle", 1), c("#gpio-cells", 2));
            n(r, "x", c("reset-gpios", 1, 3, 0));
            n(r, "hog", e("gpio-hog"), c("gpios", 5, 0));
        }));
        // interrupts
        l.add(k("interrupts_property", r -> {
            n(r, "gic", c("phandle", 1), e("interrupt-controller"), c("#interrupt-cells", 3), c("#address-cells", 0));
            n(r, "uart", c("phandle", 2));
            n(r, "orphan", c("interrupts", 1));
            n(r, "a", c("interrupt-parent", 1), c("interrupts", 0, 1));
            n(r, "b", c("interrupt-parent", 2), c("interrupts", 0));
            n(r, "c", c("interrupt-parent", 9), c("interrupts", 0));
            n(r, "d", c("interrupt-parent", 0), c("interrupts", 0));
        }, List.of("Warning (interrupts_property): /orphan: Missing interrupt-parent",
                // dtc names the parent's #interrupt-cells on the consumer's path
                "Warning (interrupts_property): /a:#interrupt-cells: size is (8), expected multiple of 12",
                "Warning (interrupts_property): /uart: Missing interrupt-controller or interrupt-map property",
                "Warning (interrupts_property): /c:interrupt-parent: Bad phandle",
                "Warning (interrupts_property): /d:interrupt-parent: Invalid phandle",
                "Warning (interrupts_property): /d: Missing interrupt-parent"), r -> {
            r.append(c("interrupt-parent", 1));
            Node gic = n(r, "gic", c("phandle", 1), e("interrupt-controller"), c("#interrupt-cells", 3), c("#address-cells", 0));
            n(r, "a", c("interrupts", 0, 1, 4, 0, 2, 4));
            n(gic, "its", c("interrupts", 1, 2, 3));
        }));
        l.add(k("interrupt_provider", r -> n(r, "intc", e("interrupt-controller")),
                List.of("Warning (interrupt_provider): /intc: Missing #interrupt-cells in interrupt provider",
                        "Warning (interrupt_provider): /intc: Missing #address-cells in interrupt provider"),
                r -> n(r, "intc", e("interrupt-controller"), c("#interrupt-cells", 1), c("#address-cells", 0))));
        l.add(k("interrupt_parent", r -> {
            n(r, "uart", c("phandle", 2));
            n(r, "a", c("interrupt-parent", 2));
            n(r, "b", c("interrupt-parent", 9));
            n(r, "c", c("interrupt-parent", 1, 2));
            n(r, "d", c("interrupt-parent", 0));
        }, List.of("Warning (interrupt_parent): /a:interrupt-parent: phandle 0x2 points at /uart, which has neither interrupt-controller nor interrupt-map",
                "Warning (interrupt_parent): /b:interrupt-parent: phandle 0x9 points at no node",
                "Warning (interrupt_parent): /c:interrupt-parent: property is not a single cell",
                "Warning (interrupt_parent): /d:interrupt-parent: invalid phandle 0x0"), r -> {
            n(r, "gic", c("phandle", 1), e("interrupt-controller"));
            n(r, "pci", c("phandle", 2), e("interrupt-map"));
            n(r, "a", c("interrupt-parent", 1));
            n(r, "b", c("interrupt-parent", 2));
        }));
        // iommus and iommu-map
        l.add(k("iommu_map", r -> {
            n(r, "smmu", c("phandle", 1), c("#iommu-cells", 1));
            n(r, "other", c("phandle", 2), c("#iommu-cells", 2));
            n(r, "none", c("phandle", 3));
            n(r, "pcie", c("iommu-map", 0, 1, 0, 0, 0x100, 2, 0, 1, 0x200, 3, 0, 1, 0x300, 9, 0, 1, 0x400, 0, 0, 1, 2, 1, 0, 0xffffffffL));
            n(r, "short", c("iommu-map", 0, 1, 0));
        }, List.of("Warning (iommu_map): /pcie:iommu-map: entry 0: length is 0",
                "Warning (iommu_map): /pcie:iommu-map: entry 1: /other has #iommu-cells = <2>, iommu-map needs 1",
                "Warning (iommu_map): /pcie:iommu-map: entry 2: /none has no #iommu-cells",
                "Warning (iommu_map): /pcie:iommu-map: entry 3: phandle 0x9 points at no node",
                "Warning (iommu_map): /pcie:iommu-map: entry 4: invalid phandle 0x0",
                "Warning (iommu_map): /pcie:iommu-map: entry 5: rid-base 0x2 + length 0xffffffff exceeds 32 bits",
                "Warning (iommu_map): /short:iommu-map: property size (12) is invalid, expected a non-zero multiple of 16 (rid-base, phandle, iommu-base, length)"),
                r -> {
                    n(r, "smmu", c("phandle", 1), c("#iommu-cells", 1));
                    n(r, "pcie", c("iommu-map", 0, 1, 0, 0x10000, 0x10000, 1, 0x20000, 0x100), c("iommu-map-mask", 0xff00));
                }));
        l.add(k("iommu_map_mask", r -> {
            n(r, "a", c("iommu-map-mask", 0xff, 0xff), c("iommu-map", 0, 0, 0, 1));
            n(r, "b", c("iommu-map-mask", 0xff));
        }, List.of("Warning (iommu_map_mask): /a:iommu-map-mask: property is not a single cell",
                "Warning (iommu_map_mask): /b:iommu-map-mask: iommu-map-mask without iommu-map"),
                r -> n(r, "a", c("iommu-map-mask", 0xff), c("iommu-map", 0, 0, 0, 1))));
        l.add(k("dangling_phandles", r -> {
            n(r, "smmu", c("phandle", 1), c("#iommu-cells", 1));
            n(r, "gic", c("phandle", 2), e("interrupt-controller"), c("#interrupt-cells", 1), c("#address-cells", 0));
            n(r, "dev", c("iommus", 1, 5, 7, 6), c("interrupt-parent", 8), c("pinctrl-0", 2, 9),
                    c("iommu-map", 0, 1, 0, 16, 16, 10, 0, 16), c("memory-region", 0, 11));
            n(r, "pci", c("#address-cells", 1), c("#interrupt-cells", 1), c("interrupt-map", 0, 1, 2, 5, 0, 2, 12, 5));
        }, List.of("ERROR (dangling_phandles): /dev:iommus: phandle 0x7 (cell 2) points at no node",
                "ERROR (dangling_phandles): /dev:interrupt-parent: phandle 0x8 (cell 0) points at no node",
                "ERROR (dangling_phandles): /dev:pinctrl-0: phandle 0x9 (cell 1) points at no node",
                "ERROR (dangling_phandles): /dev:iommu-map: phandle 0xa (cell 5) points at no node",
                "ERROR (dangling_phandles): /dev:memory-region: phandle 0xb (cell 1) points at no node",
                "ERROR (dangling_phandles): /pci:interrupt-map: phandle 0xc (cell 6) points at no node"), r -> {
            n(r, "smmu", c("phandle", 1), c("#iommu-cells", 1));
            n(r, "gic", c("phandle", 2), e("interrupt-controller"), c("#interrupt-cells", 1), c("#address-cells", 0));
            n(r, "dev", c("iommus", 1, 5, 1, 6), c("interrupt-parent", 2), c("pinctrl-0", 2), c("iommu-map", 0, 1, 0, 16),
                    c("memory-region", 0xffffffffL), c("some-number", 99));
            n(r, "hog", e("gpio-hog"), c("gpios", 99, 0));
        }));
        // OF graph
        l.add(k("graph_child_address", r -> {
            Node port = n(n(r, "dev@1", c("reg", 1, 1)), "port", c("#address-cells", 1), c("#size-cells", 0));
            n(port, "endpoint@0", c("reg", 0));
        }, List.of("Warning (graph_child_address): /dev@1/port: graph node has single child node 'endpoint@0', #address-cells/#size-cells are not necessary"),
                r -> n(n(n(r, "dev@1", c("reg", 1, 1)), "port"), "endpoint")));
        l.add(k("graph_port", r -> {
            Node ports = n(n(r, "dev@1", c("reg", 1, 1)), "ports", c("#address-cells", 1), c("#size-cells", 0));
            n(n(ports, "port@2", c("reg", 1)), "endpoint");
            n(n(ports, "bad@3", c("reg", 3)), "endpoint");
        }, List.of("Warning (graph_port): /dev@1/ports/port@2: graph node unit address error, expected \"1\"",
                "Warning (graph_port): /dev@1/ports/bad@3: graph port node name should be 'port'"), r -> {
            Node ports = n(n(r, "dev@1", c("reg", 1, 1)), "ports", c("#address-cells", 1), c("#size-cells", 0));
            n(n(ports, "port@1", c("reg", 1)), "endpoint");
        }));
        l.add(k("graph_endpoint", r -> {
            Node dev = n(r, "dev@1", c("reg", 1, 1));
            n(n(dev, "port"), "endpoint", c("phandle", 1), c("remote-endpoint", 2));
            n(n(n(r, "panel@2", c("reg", 2, 1)), "port"), "ep", c("phandle", 2), c("remote-endpoint", 3));
            n(n(n(r, "bridge@3", c("reg", 3, 1)), "port"), "endpoint", c("phandle", 3), c("remote-endpoint", 9));
        }, List.of("Warning (graph_endpoint): /dev@1/port/endpoint: graph connection to node '/panel@2/port/ep' is not bidirectional",
                "Warning (graph_endpoint): /panel@2/port/ep: graph endpoint node name should be 'endpoint'",
                // the endpoint's link is followed from both ends, so dtc reports it twice
                "Warning (graph_endpoint): /bridge@3/port/endpoint:remote-endpoint: graph phandle is not valid",
                "Warning (graph_endpoint): /panel@2/port/ep: graph connection to node '/bridge@3/port/endpoint' is not bidirectional",
                "Warning (graph_endpoint): /bridge@3/port/endpoint:remote-endpoint: graph phandle is not valid"), r -> {
            n(n(n(r, "dev@1", c("reg", 1, 1)), "port"), "endpoint", c("phandle", 1), c("remote-endpoint", 2));
            n(n(n(r, "panel@2", c("reg", 2, 1)), "port"), "endpoint", c("phandle", 2), c("remote-endpoint", 1));
        }));
        return l;
    }

    static Node pciBridge(Node r, long busMin, long busMax) {
        return n(r, "pcie@0", s("device_type", "pci"), c("reg", 0, 1), c("#address-cells", 3), c("#size-cells", 2), e("ranges"),
                c("bus-range", busMin, busMax));
    }

    static Stream<Case> caseStream() {
        return cases().stream();
    }

    @ParameterizedTest
    @MethodSource("caseStream")
    void failingTreeGivesExactlyTheFindings(Case c) {
        assertEquals(String.join("\n", c.expected()), String.join("\n", findings(c.check(), tree(c.bad()))));
    }

    @ParameterizedTest
    @MethodSource("caseStream")
    void passingTreeGivesNone(Case c) {
        assertEquals("", String.join("\n", findings(c.check(), tree(c.good()))));
    }

    /** Every check has a case, except those that cannot fail or cannot pass. */
    @Test
    void everyCheckHasACase() {
        Set<String> missing = new TreeSet<>();
        for (Check c : Checks.table()) missing.add(c.name());
        for (Case c : cases()) missing.remove(c.check());
        // graph_nodes only records port buses (exercised by the graph_* cases); always_fail always fails
        assertEquals(Set.of("graph_nodes", "always_fail"), missing);
    }

    @Test
    void alwaysFailReportsEveryNodeWhenEnabled() {
        DeviceTree t = tree(r -> n(r, "a"));
        assertEquals(List.of("Warning (always_fail): /: always_fail check", "Warning (always_fail): /a: always_fail check"),
                findings("always_fail", t));
        assertTrue(Checks.run(t).isEmpty(), "always_fail is off by default");
    }

    @Test
    void valueMarkersMakeLiteralPhandlesSuspectAsDtcDoes() {
        // from DTS, a value has markers: a phandle cell without a reference marker is suspect
        DeviceTree t = tree(r -> {
            n(r, "smmu", c("phandle", 1), c("#iommu-cells", 1)).addLabel("smmu");
            n(r, "a", Property.cells("iommus", 1, 5));
            n(r, "b", c("iommus", 1, 5).withValue(Property.cells("v", 1, 5).value(),
                    List.of(Marker.type(0, Marker.Kind.TYPE_UINT32), new Marker(0, Marker.Kind.REF_PHANDLE, "smmu"))));
        });
        assertEquals(List.of("Warning (iommus_property): /a:iommus: cell 0 is not a phandle reference"), findings("iommus_property", t));
    }

    @Test
    void iommusTargetsThatAreMissingOrNotIommus() {
        DeviceTree t = tree(r -> {
            n(r, "uart", c("phandle", 2));
            n(r, "a", c("iommus", 9, 1));
            n(r, "b", c("iommus", 2, 1));
            n(r, "c", c("iommus", 0, 0xffffffffL));
        });
        assertEquals(List.of("Warning (iommus_property): /a:iommus: Could not get phandle node for (cell 0)",
                "Warning (iommus_property): /b: " + String.format(MISSING, "#iommu-cells", "/uart", "iommus", 0)),
                findings("iommus_property", t));
    }

    // ---- running: order, prerequisites, switches ---------------------------------------------------

    @Test
    void failedPrerequisiteIsReportedAndTheCheckDoesNotRun() {
        DeviceTree t = tree(r -> {
            n(r, "x", c("#address-cells", 1, 1));
            n(r, "y@1", c("reg", 1, 2, 3));
        });
        List<String> all = new ArrayList<>();
        for (Finding f : Checks.run(t)) all.add(f.render());
        assertTrue(all.contains("Warning (reg_format): Failed prerequisite 'addr_size_cells'"), all.toString());
        assertTrue(all.stream().noneMatch(s -> s.startsWith("Warning (reg_format): /")), all.toString());
    }

    @Test
    void checksStopAfterTheFirstErrorUnlessKeepGoing() {
        DeviceTree t = tree(r -> {
            n(r, "a");
            n(r, "a");
            n(r, "x@1");
        });
        List<Finding> dtcLike = Checks.run(t);
        assertEquals(List.of("ERROR (duplicate_node_names): /a: Duplicate node name"), dtcLike.stream().map(Finding::render).toList());
        List<String> all = Checks.defaults().keepGoing(true).run(t).stream().map(Finding::render).toList();
        assertTrue(all.contains("Warning (unit_address_vs_reg): /x@1: node has a unit name, but no reg or ranges property"), all.toString());
    }

    @Test
    void switchesFollowDtc() {
        DeviceTree t = tree(r -> n(r, "x@1"));
        assertEquals(Check.Level.WARNING, Checks.defaults().levelOf("unit_address_vs_reg"));
        assertEquals(null, Checks.defaults().warn("no-unit_address_vs_reg").levelOf("unit_address_vs_reg"));
        assertTrue(Checks.defaults().warn("no_unit_address_vs_reg").run(t).isEmpty());
        assertEquals(Check.Level.ERROR, Checks.defaults().error("unit_address_vs_reg").levelOf("unit_address_vs_reg"));
        assertEquals("ERROR (unit_address_vs_reg): /x@1: node has a unit name, but no reg or ranges property",
                Checks.defaults().error("unit_address_vs_reg").run(t).get(0).render());
        // raising a check raises its prerequisites; lowering one lowers the checks that need it
        Checks.Selection sel = Checks.none().warn("simple_bus_reg");
        assertEquals(Check.Level.WARNING, sel.levelOf("reg_format"));
        assertEquals(Check.Level.WARNING, sel.levelOf("addr_size_cells"));
        sel.warn("no-addr_size_cells");
        assertEquals(null, sel.levelOf("simple_bus_reg"));
        assertEquals(null, sel.levelOf("reg_format"));
        assertEquals(null, Checks.none().levelOf("node_name_chars"));
        assertEquals(Check.Level.INFO, Checks.check("always_fail").level());
        assertEquals(null, Checks.defaults().levelOf("always_fail"));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Checks.defaults().warn("no-such"));
        assertEquals("Unrecognized check name \"such\"", ex.getMessage().replace("no-", ""));
    }

    @Test
    void danglingPhandlesHelperReportsOnlyThat() {
        DeviceTree t = tree(r -> {
            n(r, "a");
            n(r, "a"); // a dtc ERROR that would stop a full run
            n(r, "dev", c("iommus", 4, 1));
        });
        assertEquals(List.of("ERROR (dangling_phandles): /dev:iommus: phandle 0x4 (cell 0) points at no node"),
                Checks.danglingPhandles(t).stream().map(Finding::render).toList());
        assertTrue(Checks.danglingPhandles(tree(r -> n(r, "dev"))).isEmpty());
    }

    @Test
    void findingsRenderLikeDtc() {
        Finding f = new Finding("unit_address_vs_reg", Check.Level.WARNING, "/soc/serial@1000",
                "node has a unit name, but no reg or ranges property");
        assertEquals("Warning (unit_address_vs_reg): /soc/serial@1000: node has a unit name, but no reg or ranges property", f.render());
        assertEquals("host.dtb: Warning (unit_address_vs_reg): /soc/serial@1000: node has a unit name, but no reg or ranges property",
                f.render("host.dtb"));
        assertEquals("ERROR (reg_format): /a:reg: x", new Finding("reg_format", Check.Level.ERROR, "/a", "reg", "x").render());
        assertEquals("Warning (reg_format): Failed prerequisite 'addr_size_cells'",
                new Finding("reg_format", Check.Level.WARNING, null, "Failed prerequisite 'addr_size_cells'").render());
    }

    @Test
    void bigFlatBusHasNoFindings() {
        // 20,000 siblings: the duplicate and unit-address checks group by name (dtc compares all pairs)
        DeviceTree t = tree(r -> {
            Node bus = n(r, "bus@0", c("reg", 0, 1), c("#address-cells", 1), c("#size-cells", 1), s("compatible", "simple-bus"), e("ranges"));
            for (int i = 0; i < 20_000; i++) n(bus, "dev@" + Integer.toHexString(i * 16), c("reg", i * 16L, 16));
            n(bus, "dev@10", c("reg", 0x10, 16));
        });
        assertEquals(List.of("ERROR (duplicate_node_names): /bus@0/dev@10: Duplicate node name"),
                Checks.run(t).stream().map(Finding::render).toList());
    }
}
