package org.xldt.xlcfg;

/**
 * A value in an xl.cfg file, as libxlutil stores it: a string (XLU_STRING; numbers are kept as
 * their text) or a possibly nested list (XLU_LIST). Strings hold one char per byte.
 */
public sealed interface XlValue permits XlString, XlList {
    /** Where the value starts (its first token). */
    Location location();
}
