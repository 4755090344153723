; Definitions for the chunker (symbol paths, signatures, collapsed bodies), Aider-style captures:
;   @definition.<kind> on the definition node, @name on its name, and optionally @body on the body
;   container when it is not the node's `body` field. When several patterns capture the same node,
;   the first pattern in this file wins.

(function_declaration name: (identifier) @name) @definition.function
(method_declaration name: (field_identifier) @name) @definition.method

; A declaration of one type: the node includes the `type` keyword.
(type_declaration .
  (type_spec name: (type_identifier) @name type: (struct_type (field_declaration_list) @body)) .) @definition.struct
(type_declaration .
  (type_spec name: (type_identifier) @name type: (interface_type) @body) .) @definition.interface
(type_declaration . (type_spec name: (type_identifier) @name) .) @definition.type
(type_declaration . (type_alias name: (type_identifier) @name) .) @definition.type

; A group: type ( A ...; B ... ), one definition per spec.
(type_declaration (type_spec name: (type_identifier) @name) @definition.type (type_spec))
(type_declaration (type_spec) (type_spec name: (type_identifier) @name) @definition.type)

; Methods listed in an interface (no body).
(interface_type (method_elem name: (field_identifier) @name) @definition.method)
