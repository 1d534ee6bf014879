package org.xldt.xen;

import java.util.List;
import org.xldt.xlcfg.Location;
import org.xldt.xlcfg.Setting;
import org.xldt.xlcfg.XlConfig;
import org.xldt.xlcfg.XlList;
import org.xldt.xlcfg.XlString;

/** Where settings and list items of a parsed xl.cfg file are written, for located errors. */
final class XlLocations {
    private XlLocations() {
    }

    /** The value of setting {@code key}, or line 1 column 1 of the file when it is not set. */
    static Location at(XlConfig cfg, String key) {
        return cfg.find(key).map(Setting::valueLocation).orElse(new Location(cfg.source().name(), 1, 1));
    }

    /** Item {@code index} of the list setting {@code key} (or the setting, or the file start). */
    static Location itemAt(XlConfig cfg, String key, int index) {
        return cfg.find(key).map(s -> {
            if (s.value() instanceof XlList l) {
                List<XlString> items = XlConfig.leadingStrings(l);
                if (index < items.size()) return items.get(index).location();
            }
            return s.valueLocation();
        }).orElse(at(cfg, key));
    }
}
