/*
 * DTS lexer, token for token the lexer of dtc 1.6.1 (dtc-lexer.l), so that every input dtc
 * tokenizes is tokenized alike and syntax errors are found at the same place.
 *
 * dtc's flex lexer has start conditions that decide what a run of characters means:
 *
 *   flex state    here            entered after                         lexes as names?
 *   INITIAL, V1   DEFAULT_MODE    /dts-v1/ /memreserve/ /bits/ a name ]  no; integer literals
 *   PROPNODENAME  NAME_MODE       { ; /delete-node/ /delete-property/    yes ("a-b", "#x", "-", "0x1")
 *                                 /omit-if-no-ref/
 *   BYTESTRING    BYTES_MODE      [                                      no; two hex digits = a byte
 *
 * The same state change happens in every mode (dtc's <*> rules), so the rules that dtc writes
 * once for all states are repeated in each mode below with "-> type(...)". Within a mode, as in
 * flex, the longest match wins and, on equal length, the rule written first. A property or node
 * name is therefore only recognised right after "{" or ";" (or a deleting keyword), which is
 * why "a = b;" is an error but "a-b = <1>;" is not, and why "foo:" is always a label.
 *
 * Not passed to the parser: WS, COMMENT, LINECOMMENT (skipped; DtsTokenSource notes where the last
 * one began, as dtc reports an unexpected end of input there), and, consumed by DtsTokenSource,
 * INCLUDE ("/include/" "file": the token source lexes the file in place, in the current mode)
 * and LINEMARKER (cpp's "# LINE "FILE" FLAGS" at the start of a line: renames and renumbers the
 * following lines for error locations). BADCHAR is any other character; the parser rejects it.
 */
lexer grammar DtsLexer;

@header { package org.xldt.dt; }

// ---------------------------------------------------------------------------------------------
// DEFAULT_MODE: dtc's V1 (and INITIAL) start condition
// ---------------------------------------------------------------------------------------------

INCLUDE      : '/include/' WSCHAR* STRING_F ;
LINEMARKER   : '#' {_tokenStartCharPositionInLine == 0}? LINEMARKER_F ;
STRING       : STRING_F ;
DTS_V1       : '/dts-v1/' -> mode(DEFAULT_MODE) ;
PLUGIN       : '/plugin/' ;
MEMRESERVE   : '/memreserve/' -> mode(DEFAULT_MODE) ;
BITS         : '/bits/' -> mode(DEFAULT_MODE) ;
DEL_PROP     : '/delete-property/' -> mode(NAME_MODE) ;
DEL_NODE     : '/delete-node/' -> mode(NAME_MODE) ;
OMIT         : '/omit-if-no-ref/' -> mode(NAME_MODE) ;
LABEL        : LABEL_F ':' ;
LITERAL      : ( [0-9]+ | '0' [xX] [0-9a-fA-F]+ ) ( 'U' | 'L' | 'UL' | 'LL' | 'ULL' )? ;
CHAR_LITERAL : CHAR_F ;
LABEL_REF    : '&' LABEL_F ;
PATH_REF     : '&{/' PATHCHAR* '}' ;
INCBIN       : '/incbin/' ;
WS           : WSCHAR+ -> skip ;
COMMENT      : COMMENT_F+ -> skip ;
LINECOMMENT  : LINECOMMENT_F+ -> skip ;
LSHIFT       : '<<' ;
RSHIFT       : '>>' ;
LE           : '<=' ;
GE           : '>=' ;
EQ           : '==' ;
NE           : '!=' ;
AND          : '&&' ;
OR           : '||' ;
// dtc's catch-all rule returns single characters; '[' '{' ';' also switch state.
LBRACK       : '[' -> mode(BYTES_MODE) ;
LBRACE       : '{' -> mode(NAME_MODE) ;
SEMI         : ';' -> mode(NAME_MODE) ;
RBRACE       : '}' ;
RBRACK       : ']' ;
EQUALS       : '=' ;
LT           : '<' ;
GT           : '>' ;
COMMA        : ',' ;
LPAREN       : '(' ;
RPAREN       : ')' ;
SLASH        : '/' ;
QUESTION     : '?' ;
COLON        : ':' ;
PLUS         : '+' ;
MINUS        : '-' ;
STAR         : '*' ;
PERCENT      : '%' ;
AMP          : '&' ;
PIPE         : '|' ;
CARET        : '^' ;
TILDE        : '~' ;
BANG         : '!' ;
BADCHAR      : . ;

// ---------------------------------------------------------------------------------------------
// PROPNODENAME: a property or node name may come next
// ---------------------------------------------------------------------------------------------
mode NAME_MODE;

PN_INCLUDE      : '/include/' WSCHAR* STRING_F -> type(INCLUDE) ;
PN_LINEMARKER   : '#' {_tokenStartCharPositionInLine == 0}? LINEMARKER_F -> type(LINEMARKER) ;
PN_STRING       : STRING_F -> type(STRING) ;
PN_DTS_V1       : '/dts-v1/' -> type(DTS_V1), mode(DEFAULT_MODE) ;
PN_PLUGIN       : '/plugin/' -> type(PLUGIN) ;
PN_MEMRESERVE   : '/memreserve/' -> type(MEMRESERVE), mode(DEFAULT_MODE) ;
PN_BITS         : '/bits/' -> type(BITS), mode(DEFAULT_MODE) ;
PN_DEL_PROP     : '/delete-property/' -> type(DEL_PROP), mode(NAME_MODE) ;
PN_DEL_NODE     : '/delete-node/' -> type(DEL_NODE), mode(NAME_MODE) ;
PN_OMIT         : '/omit-if-no-ref/' -> type(OMIT), mode(NAME_MODE) ;
PN_LABEL        : LABEL_F ':' -> type(LABEL) ;
PN_CHAR_LITERAL : CHAR_F -> type(CHAR_LITERAL) ;
PN_LABEL_REF    : '&' LABEL_F -> type(LABEL_REF) ;
PN_PATH_REF     : '&{/' PATHCHAR* '}' -> type(PATH_REF) ;
// A leading backslash is dropped from the name (it lets a name look like anything).
PROPNODENAME    : '\\'? PROPNODECHAR+ -> mode(DEFAULT_MODE) ;
PN_WS           : WSCHAR+ -> skip ;
PN_COMMENT      : COMMENT_F+ -> skip ;
PN_LINECOMMENT  : LINECOMMENT_F+ -> skip ;
PN_LSHIFT       : '<<' -> type(LSHIFT) ;
PN_RSHIFT       : '>>' -> type(RSHIFT) ;
PN_LE           : '<=' -> type(LE) ;
PN_GE           : '>=' -> type(GE) ;
PN_EQ           : '==' -> type(EQ) ;
PN_NE           : '!=' -> type(NE) ;
PN_AND          : '&&' -> type(AND) ;
PN_OR           : '||' -> type(OR) ;
PN_LBRACK       : '[' -> type(LBRACK), mode(BYTES_MODE) ;
PN_LBRACE       : '{' -> type(LBRACE), mode(NAME_MODE) ;
PN_SEMI         : ';' -> type(SEMI), mode(NAME_MODE) ;
PN_RBRACE       : '}' -> type(RBRACE) ;
PN_RBRACK       : ']' -> type(RBRACK) ;
PN_EQUALS       : '=' -> type(EQUALS) ;
PN_LT           : '<' -> type(LT) ;
PN_GT           : '>' -> type(GT) ;
PN_LPAREN       : '(' -> type(LPAREN) ;
PN_RPAREN       : ')' -> type(RPAREN) ;
PN_SLASH        : '/' -> type(SLASH) ;
PN_COLON        : ':' -> type(COLON) ;
PN_PERCENT      : '%' -> type(PERCENT) ;
PN_AMP          : '&' -> type(AMP) ;
PN_PIPE         : '|' -> type(PIPE) ;
PN_CARET        : '^' -> type(CARET) ;
PN_TILDE        : '~' -> type(TILDE) ;
PN_BANG         : '!' -> type(BANG) ;
PN_BADCHAR      : . -> type(BADCHAR) ;

// ---------------------------------------------------------------------------------------------
// BYTESTRING: inside [ ... ]
// ---------------------------------------------------------------------------------------------
mode BYTES_MODE;

BS_INCLUDE      : '/include/' WSCHAR* STRING_F -> type(INCLUDE) ;
BS_LINEMARKER   : '#' {_tokenStartCharPositionInLine == 0}? LINEMARKER_F -> type(LINEMARKER) ;
BS_STRING       : STRING_F -> type(STRING) ;
BS_DTS_V1       : '/dts-v1/' -> type(DTS_V1), mode(DEFAULT_MODE) ;
BS_PLUGIN       : '/plugin/' -> type(PLUGIN) ;
BS_MEMRESERVE   : '/memreserve/' -> type(MEMRESERVE), mode(DEFAULT_MODE) ;
BS_BITS         : '/bits/' -> type(BITS), mode(DEFAULT_MODE) ;
BS_DEL_PROP     : '/delete-property/' -> type(DEL_PROP), mode(NAME_MODE) ;
BS_DEL_NODE     : '/delete-node/' -> type(DEL_NODE), mode(NAME_MODE) ;
BS_OMIT         : '/omit-if-no-ref/' -> type(OMIT), mode(NAME_MODE) ;
BS_LABEL        : LABEL_F ':' -> type(LABEL) ;
BS_CHAR_LITERAL : CHAR_F -> type(CHAR_LITERAL) ;
BS_LABEL_REF    : '&' LABEL_F -> type(LABEL_REF) ;
BS_PATH_REF     : '&{/' PATHCHAR* '}' -> type(PATH_REF) ;
BYTE            : HEX HEX ;
BS_RBRACK       : ']' -> type(RBRACK), mode(DEFAULT_MODE) ;
BS_WS           : WSCHAR+ -> skip ;
BS_COMMENT      : COMMENT_F+ -> skip ;
BS_LINECOMMENT  : LINECOMMENT_F+ -> skip ;
BS_LSHIFT       : '<<' -> type(LSHIFT) ;
BS_RSHIFT       : '>>' -> type(RSHIFT) ;
BS_LE           : '<=' -> type(LE) ;
BS_GE           : '>=' -> type(GE) ;
BS_EQ           : '==' -> type(EQ) ;
BS_NE           : '!=' -> type(NE) ;
BS_AND          : '&&' -> type(AND) ;
BS_OR           : '||' -> type(OR) ;
BS_LBRACK       : '[' -> type(LBRACK), mode(BYTES_MODE) ;
BS_LBRACE       : '{' -> type(LBRACE), mode(NAME_MODE) ;
BS_SEMI         : ';' -> type(SEMI), mode(NAME_MODE) ;
BS_RBRACE       : '}' -> type(RBRACE) ;
BS_EQUALS       : '=' -> type(EQUALS) ;
BS_LT           : '<' -> type(LT) ;
BS_GT           : '>' -> type(GT) ;
BS_COMMA        : ',' -> type(COMMA) ;
BS_LPAREN       : '(' -> type(LPAREN) ;
BS_RPAREN       : ')' -> type(RPAREN) ;
BS_SLASH        : '/' -> type(SLASH) ;
BS_QUESTION     : '?' -> type(QUESTION) ;
BS_COLON        : ':' -> type(COLON) ;
BS_PLUS         : '+' -> type(PLUS) ;
BS_MINUS        : '-' -> type(MINUS) ;
BS_STAR         : '*' -> type(STAR) ;
BS_PERCENT      : '%' -> type(PERCENT) ;
BS_AMP          : '&' -> type(AMP) ;
BS_PIPE         : '|' -> type(PIPE) ;
BS_CARET        : '^' -> type(CARET) ;
BS_TILDE        : '~' -> type(TILDE) ;
BS_BANG         : '!' -> type(BANG) ;
BS_BADCHAR      : . -> type(BADCHAR) ;

// ---------------------------------------------------------------------------------------------
// fragments (dtc's definitions)
// ---------------------------------------------------------------------------------------------

// [[:space:]]
fragment WSCHAR        : [ \t\n\u000B\f\r] ;
// \"([^\\"]|\\.)*\"   (flex's "." is any character but a newline)
fragment STRING_F      : '"' ( ~[\\"] | '\\' ~[\n] )* '"' ;
// '([^']|\\')*'
fragment CHAR_F        : '\'' ( ~['] | '\\' '\'' )* '\'' ;
fragment LABEL_F       : [a-zA-Z_] [a-zA-Z0-9_]* ;
fragment PROPNODECHAR  : [a-zA-Z0-9,._+*#?@\-] ;
fragment PATHCHAR      : [a-zA-Z0-9,._+*#?@/\-] ;
fragment HEX           : [0-9a-fA-F] ;
// "/*"([^*]|\*+[^*/])*\*+"/"
fragment COMMENT_F     : '/*' ( ~'*' | '*'+ ~[*/] )* '*'+ '/' ;
// "//".*\n  (needs the newline: a // comment on the last line without one is not a comment)
fragment LINECOMMENT_F : '//' ~'\n'* '\n' ;
// ^"#"(line)?[ \t]+[0-9]+[ \t]+{STRING}([ \t]+[0-9]+)*   (any number of cpp flags)
fragment LINEMARKER_F  : 'line'? [ \t]+ [0-9]+ [ \t]+ STRING_F ( [ \t]+ [0-9]+ )* ;
