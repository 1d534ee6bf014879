/*
 * Tokens of the xl.cfg language exactly as Xen's libxlutil (Xen 4.17, tools/libs/util)
 * scans them. Its scanner is a flex scanner with longest-match, first-rule-wins semantics,
 * which ANTLR's lexer shares. Facts (all checked against the libxlutil oracle, see
 * src/test/c/xlcfg-oracle.c):
 *  - identifiers: [a-z][._0-9a-z]*; numbers: [0-9][0-9a-fx]* kept as text;
 *  - strings in '...' or "...", one line, any escape "\c" (c not newline) is scanned here
 *    and judged later (XlStrings.dequote);
 *  - a newline, or '#' up to and including the next newline, is one NEWLINE token;
 *  - a character that starts no token (a "Python" one among + - . ( ) : or any other) puts
 *    the scanner in an error state that swallows the rest of the run of non-blank
 *    characters (or one blank) and reports a lexical error; an error run ended by a
 *    newline still yields that NEWLINE. At end of file a pending error character is
 *    dropped silently (libxlutil accepts "a=1\n(" without complaint).
 * Bytes are read one char each (ISO-8859-1), so any file can be scanned.
 */
lexer grammar XlCfgLexer;

@header { package org.xldt.xlcfg; }

channels { ERRORS }

IDENT     : [a-z] [._0-9a-z]* ;
NUMBER    : [0-9] [0-9a-fx]* ;
BLANK     : [ \t] -> skip ;
COMMA     : ',' ;
LBRACK    : '[' ;
RBRACK    : ']' ;
ADD       : '+=' ;
ASSIGN    : '=' ;
SEMI      : ';' ;
NEWLINE   : '\n' | '#' ~'\n'* '\n' ;
STRING    : '\'' ( ~['\\\n] | '\\' ~'\n' )* '\''
          | '"' ( ~["\\\n] | '\\' ~'\n' )* '"'
          ;
// The start of a lexical error; libxlutil remembers "likely Python" for the first set.
PY_START  : [+\-.():] -> more, mode(ERR_MODE) ;
BAD_START : ~'\n' -> more, mode(ERR_MODE) ;

mode ERR_MODE;
// An error run ended by a newline still ends the statement (a NEWLINE token whose text
// starts with the offending character).
ERR_NL    : '\n' -> type(NEWLINE), mode(DEFAULT_MODE) ;
ERR_RUN   : ~[ \t\n]+ -> channel(ERRORS), mode(DEFAULT_MODE) ;
ERR_BLANK : [ \t] -> channel(ERRORS), mode(DEFAULT_MODE) ;
