/**
 * `@plein/sdk`: the one package a Plein plugin imports.
 *
 * @packageDocumentation
 * @module \@plein/sdk
 */
export { SDK_VERSION } from './version';
export { PLUGIN_ID_PATTERN, DOTTED_NAME_PATTERN, tablePrefix } from './naming';
export { METADATA, DEFINITION_KIND } from './metadata';
export {
  definePlugin,
  type PluginDefinition,
  type PluginManifest,
  type PluginLifecycle,
  type PluginContext,
  type NavigationItem,
  type MigrationClass,
  type TemplateHelper,
} from './plugin';
export {
  defineEvent,
  EventBus,
  OnEvent,
  type EventDefinition,
  type DeliveredEvent,
  type EventHandlerOptions,
  type EventHandlerMetadata,
} from './events';
export {
  defineJob,
  Jobs,
  ProcessJob,
  type JobDefinition,
  type JobContext,
  type JobRetry,
  type JobSchedule,
  type JobInfo,
  type EnqueueOptions,
} from './jobs';
export {
  definePermission,
  Permissions,
  RequirePermission,
  Public,
  InSpace,
  type SpaceFinder,
  type SpaceLookupRequest,
  type PermissionDefinition,
  type PermissionContext,
  type PermissionRequirement,
  type SpaceLocator,
  type BuiltInRole,
} from './permissions';
export { Spaces, type SpaceRef, type SpaceRole } from './spaces';
export { Notifications, type NotificationInput, type NotificationKind } from './notifications';
export { Users, CurrentUser, type UserRef, type SignedInUser } from './users';
export {
  defineContentType,
  Contents,
  contentEvents,
  type ContentTypeDefinition,
  type ContentStatus,
  type ContentRecord,
  type ContentSubmission,
  type ContentGate,
  type GateInput,
  type GateDecision,
  type SubmittedContent,
  type ContentVisibility,
  type VisibilityOptions,
  type AudienceResolver,
  type ContentEventPayload,
  type ScannedContent,
  type ContentScanOptions,
} from './content';
export { Database } from './database';
export { Settings } from './settings';
export {
  Views,
  Render,
  AnonymousCache,
  redirect,
  withStatus,
  PAGE_REDIRECT,
  PAGE_STATUS,
  type PageData,
  type PageRedirect,
  type Flash,
} from './views';
export { Audit, type AuditEntry } from './audit';
export { Clock } from './clock';
export { InvalidInput, Conflict, type FieldProblem } from './problems';
export { parseLimit, encodeCursor, decodeCursor, type Page } from './pagination';
export {
  renderMarkdown,
  extractMentions,
  extractHashtags,
  type MarkdownOptions,
  type RenderedMarkdown,
} from './markdown';
