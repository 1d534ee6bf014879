/*
 * The xl.cfg grammar as Xen 4.17's libxlutil (tools/libs/util/libxlu_cfg_y.y) accepts it:
 *   file:       stmts | stmts assignment
 *   stmt:       assignment endstmt | endstmt | error NEWLINE
 *   assignment: IDENT '=' value | IDENT "+=" value
 *   endstmt:    NEWLINE | ';'
 *   value:      atom | '[' nlok valuelist ']'
 *   valuelist:  empty | values | values ',' nlok
 *   values:     value nlok | values ',' nlok value nlok
 * XlCfgReader parses one statement at a time (rule "statement") so that it can resynchronise
 * after an error, as libxlutil does at the next NEWLINE, and report every error.
 */
parser grammar XlCfg;

options { tokenVocab = XlCfgLexer; }

@header { package org.xldt.xlcfg; }

config     : statement* EOF ;

statement  : assignment (endstmt | EOF)
           | endstmt
           ;

assignment : IDENT op=(ASSIGN | ADD) value ;

endstmt    : NEWLINE | SEMI ;

value      : atom | list ;

atom       : STRING | NUMBER ;

list       : LBRACK NEWLINE* ( value NEWLINE* ( COMMA NEWLINE* value NEWLINE* )* ( COMMA NEWLINE* )? )? RBRACK ;
