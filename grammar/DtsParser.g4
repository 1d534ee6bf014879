/*
 * DTS parser: the language of dtc 1.6.1's dtc-parser.y, with the same tokens (DtsLexer.g4).
 *
 * dtc's bison grammar is right-recursive for node contents, so its stack grows with every child
 * (it dies with "memory exhausted" above about 10,000 siblings). Here every list is a loop
 * ("nodeItem*", "cellItem*", ...), nothing recurses per child or property, and each decision is
 * made on the tokens ahead alone (SLL prediction is exact). Only real nesting recurses: nodes in
 * nodes and parenthesised expressions; DtsReader bounds that depth.
 *
 * The parser only recognises. DtsTreeBuilder, a parse listener, builds the tree while parsing,
 * with dtc's semantics: labels, merges of repeated definitions, deletions, references.
 *
 *   dtc rule                                here
 *   sourcefile: headers memreserves dt      dtsFile
 *   header: DT_V1 ';' [DT_PLUGIN ';']       header
 *   memreserve: DT_LABEL* /memreserve/ ...  memReserve
 *   devicetree: first, then merges/deletes  firstItem laterItem*
 *   nodedef: '{' proplist subnodes '}' ';'  nodeBody (properties after a subnode: builder error)
 *   propdef, subnode                        propDef, subNode (labels and /omit-if-no-ref/ first)
 *   propdata / propdataprefix               propDef's propValue pieces, separated by ','
 *   arrayprefix '>'                         cellArray (integer_prim inlined)
 *   integer_prim ... integer_trinary        intPrim, expr (C precedence; ?: right-associative)
 */
parser grammar DtsParser;

options { tokenVocab = DtsLexer; }

@header { package org.xldt.dt; }

dtsFile     : header+ memReserve* firstItem laterItem* EOF ;

header      : DTS_V1 SEMI ( PLUGIN SEMI )? ;

memReserve  : LABEL* MEMRESERVE intPrim intPrim SEMI ;

firstItem   : SLASH nodeBody                # firstRoot
            | ref nodeBody                  # firstRef
            ;

laterItem   : SLASH nodeBody                # rootMerge
            | LABEL ref nodeBody            # labelRefMerge
            | ref nodeBody                  # refMerge
            | DEL_NODE ref SEMI             # deleteRef
            | OMIT ref SEMI                 # omitRef
            ;

ref         : LABEL_REF | PATH_REF ;

nodeBody    : LBRACE ( propDef | subNode )* RBRACE SEMI ;

propDef     : LABEL* ( PROPNODENAME ( EQUALS propValue ( COMMA propValue )* )? SEMI
                     | DEL_PROP PROPNODENAME SEMI ) ;

subNode     : ( LABEL | OMIT )* ( PROPNODENAME nodeBody | DEL_NODE PROPNODENAME SEMI ) ;

// one piece of a value, with the labels around it
propValue   : LABEL* ( STRING | cellArray | byteString | LABEL_REF | PATH_REF | incbin ) LABEL* ;

// cells: integer_prim (literal, character, parenthesised expression), references, labels
cellArray   : ( BITS LITERAL )? LT ( LITERAL | CHAR_LITERAL | LPAREN expr RPAREN | LABEL_REF | PATH_REF | LABEL )* GT ;

byteString  : LBRACK ( BYTE | LABEL )* RBRACK ;

incbin      : INCBIN LPAREN STRING ( COMMA intPrim COMMA intPrim )? RPAREN ;

intPrim     : LITERAL
            | CHAR_LITERAL
            | LPAREN expr RPAREN
            ;

expr        : intPrim                                       # primExpr
            | op=( MINUS | TILDE | BANG ) expr              # unaryExpr
            | expr op=( STAR | SLASH | PERCENT ) expr       # binaryExpr
            | expr op=( PLUS | MINUS ) expr                 # binaryExpr
            | expr op=( LSHIFT | RSHIFT ) expr              # binaryExpr
            | expr op=( LT | GT | LE | GE ) expr            # binaryExpr
            | expr op=( EQ | NE ) expr                      # binaryExpr
            | expr op=AMP expr                              # binaryExpr
            | expr op=CARET expr                            # binaryExpr
            | expr op=PIPE expr                             # binaryExpr
            | expr op=AND expr                              # binaryExpr
            | expr op=OR expr                               # binaryExpr
            | <assoc=right> expr QUESTION expr COLON expr   # condExpr
            ;
