// Parse errors as Go words them: "template: <name>:<line>: <what>", with the line of the token that failed.
import { type Case, table } from "./support.ts";

const errors: Case[] = [
  { name: "an action left open is an error", text: "{{ .x ", error: "template: t:1: unclosed action" },
  {
    name: "an action left open over lines says where it started",
    text: "{{ .x\n\n",
    error: "template: t:3: unclosed action started at t:1",
  },
  { name: "a missing end is an unexpected EOF", text: "{{ if .x }}a\nb", error: "template: t:2: unexpected EOF" },
  { name: "a stray end is unexpected", text: "a{{ end }}", error: "template: t:1: unexpected {{end}}" },
  { name: "break outside range is an error", text: "{{ break }}", error: "template: t:1: {{break}} outside {{range}}" },
  { name: "an undeclared variable is an error", text: "{{ $x }}", error: 'template: t:1: undefined variable "$x"' },
  {
    name: "a comment must end the action",
    text: "{{/* c */ x}}",
    error: "template: t:1: comment ends before closing delimiter",
  },
  {
    name: "a comment needs the trim marker's space or none at all",
    text: "{{ /* c */ }}",
    error: 'template: t:1: unexpected "/" in command',
  },
  {
    name: "two definitions of one name in one text are an error",
    text: '{{ define "a" }}1{{ end }}{{ define "a" }}2{{ end }}',
    error: 'template: t:1: template: multiple definition of template "a"',
  },
  {
    name: "a constant cannot be a later pipeline stage",
    text: "{{ .x | 3 }}",
    error: "template: t:1: non executable command in pipeline stage 2",
  },
  { name: "an unbalanced right paren is an error", text: "{{ .x ) }}", error: "template: t:1: unexpected right paren" },
  { name: "an unclosed left paren is an error", text: "{{ (.x }}", error: "template: t:1: unclosed left paren" },
  { name: "an empty action is an error", text: "{{ }}", error: "template: t:1: missing value for command" },
  { name: "an octal-looking 089 is not a number", text: "{{ 089 }}", error: 'template: t:1: integer overflow: "089"' },
  {
    name: "range may declare two variables at most",
    text: "{{ range $a, $b, $c := . }}{{ end }}",
    error: "template: t:1: too many declarations in range",
  },
];

table("gotemplate parse errors", errors);
