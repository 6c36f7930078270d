/**
 * Metadata keys shared by the SDK decorators and the core that reads them.
 *
 * @remarks Plugins never need these; they use the decorators. Core reads them to wire routes,
 * event handlers and job processors.
 *
 * @example
 * ```ts
 * Reflect.getMetadata(METADATA.permission, handler); // 'kudos.kudo.give'
 * ```
 * @internal
 */
export const METADATA = {
  permission: 'plein:permission',
  public: 'plein:public',
  inSpace: 'plein:in-space',
  eventHandler: 'plein:event-handler',
  jobProcessor: 'plein:job-processor',
  render: 'plein:render',
  anonymousCache: 'plein:anonymous-cache',
} as const;

/**
 * Brand placed on every object made by a `define*` function, so core can tell a definition from
 * an arbitrary object when it validates a plugin without running its code.
 *
 * @example
 * ```ts
 * definePermission('kudos.kudo.give', { description: 'Give kudos' })[DEFINITION_KIND]; // 'permission'
 * ```
 * @internal
 */
export const DEFINITION_KIND = Symbol.for('plein.definition-kind');
