/**
 * The error templates raise, carrying Go's message text unchanged.
 *
 * @module
 */

/**
 * A parse or execution error, its message exactly as Go's `text/template` words it, e.g.
 * `template: cm.yaml:3: function "nosuchfunc" not defined` or
 * `template: cm.yaml:5:12: executing "cm.yaml" at <.Values.x.y>: nil pointer evaluating interface {}.y`.
 *
 * @example
 * ```ts
 * try {
 *   set.parse("cm.yaml", "{{ nosuchfunc }}");
 * } catch (err) {
 *   if (err instanceof TemplateError) console.log(err.message);
 * }
 * ```
 */
export class TemplateError extends Error {
  /** The template that was being parsed or executed. */
  readonly template: string;

  constructor(message: string, template: string) {
    super(message);
    this.name = "TemplateError";
    this.template = template;
  }
}
