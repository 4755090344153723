; Definitions for the chunker (symbol paths, signatures, collapsed bodies), Aider-style captures:
;   @definition.<kind> on the definition node, @name on its name, and optionally @body on the body
;   container when it is not the node's `body` field. When several patterns capture the same node,
;   the first pattern in this file wins.

(function_definition
  declarator: (function_declarator declarator: (identifier) @name)) @definition.function
(function_definition
  declarator: (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))) @definition.function
(function_definition
  declarator: (pointer_declarator
    declarator: (pointer_declarator declarator: (function_declarator declarator: (identifier) @name)))) @definition.function

; Prototypes at file level (headers).
(translation_unit
  (declaration declarator: (function_declarator declarator: (identifier) @name)) @definition.function)
(translation_unit
  (declaration
    declarator: (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))) @definition.function)

(type_definition
  type: [(struct_specifier body: (_) @body) (union_specifier body: (_) @body)]
  declarator: (type_identifier) @name) @definition.struct
(type_definition type: (enum_specifier body: (_) @body) declarator: (type_identifier) @name) @definition.enum
(type_definition declarator: (type_identifier) @name) @definition.type

(translation_unit (struct_specifier name: (type_identifier) @name body: (_)) @definition.struct)
(translation_unit (union_specifier name: (type_identifier) @name body: (_)) @definition.union)
(translation_unit (enum_specifier name: (type_identifier) @name body: (_)) @definition.enum)
(declaration type: (struct_specifier name: (type_identifier) @name body: (_)) @definition.struct)
(declaration type: (enum_specifier name: (type_identifier) @name body: (_)) @definition.enum)
