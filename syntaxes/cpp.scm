; Definitions for the chunker (symbol paths, signatures, collapsed bodies), Aider-style captures:
;   @definition.<kind> on the definition node, @name on its name, and optionally @body on the body
;   container when it is not the node's `body` field. When several patterns capture the same node,
;   the first pattern in this file wins.

; Members: functions defined or declared inside a class or struct body.
(field_declaration_list
  (function_definition declarator: (function_declarator declarator: (_) @name)) @definition.method)
(field_declaration_list
  (function_definition
    declarator: [(pointer_declarator declarator: (function_declarator declarator: (_) @name))
                 (reference_declarator (function_declarator declarator: (_) @name))]) @definition.method)
(field_declaration_list
  (field_declaration declarator: (function_declarator declarator: (_) @name)) @definition.method)
(field_declaration_list
  (field_declaration
    declarator: [(pointer_declarator declarator: (function_declarator declarator: (_) @name))
                 (reference_declarator (function_declarator declarator: (_) @name))]) @definition.method)
(field_declaration_list
  (declaration declarator: (function_declarator declarator: (_) @name)) @definition.method)

; Out-of-line member definitions: Type::name(...) { ... }
(function_definition
  declarator: (function_declarator declarator: (qualified_identifier) @name)) @definition.method
(function_definition
  declarator: [(pointer_declarator declarator: (function_declarator declarator: (qualified_identifier) @name))
               (reference_declarator (function_declarator declarator: (qualified_identifier) @name))]) @definition.method

(function_definition declarator: (function_declarator declarator: (_) @name)) @definition.function
(function_definition
  declarator: [(pointer_declarator declarator: (function_declarator declarator: (_) @name))
               (reference_declarator (function_declarator declarator: (_) @name))]) @definition.function
; Prototypes at file or namespace level.
(translation_unit
  (declaration declarator: (function_declarator declarator: (_) @name)) @definition.function)
(declaration_list
  (declaration declarator: (function_declarator declarator: (_) @name)) @definition.function)

(namespace_definition name: (_) @name) @definition.namespace
(class_specifier name: (_) @name body: (_)) @definition.class
(struct_specifier name: (_) @name body: (_)) @definition.struct
(union_specifier name: (_) @name body: (_)) @definition.union
(enum_specifier name: (_) @name body: (_)) @definition.enum
(type_definition
  type: [(struct_specifier body: (_) @body) (class_specifier body: (_) @body)]
  declarator: (type_identifier) @name) @definition.struct
(alias_declaration name: (type_identifier) @name) @definition.type
