import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Flash, SignedInUser } from '@plein/sdk';
import '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ANON_COOKIE, type AuthService, SESSION_COOKIE } from '../auth/auth.service';
import { setCookie } from '../auth/cookies';
import type { MessageParams } from '../i18n/i18n';
import type { NotificationsService } from '../notifications/notifications.service';
import { corePermissions } from '../permissions/core-permissions';
import type { PermissionsService } from '../permissions/permissions.service';
import type { PluginRegistry } from '../plugins/plugin-registry';
import type { ViewEngine } from './view-engine';

export const FLASH_COOKIE = 'plein_flash';
/** A flash waits at most this long for the page that shows it. */
const FLASH_SECONDS = 60;
const ANON_SECONDS = 86_400;
const FLASH_KINDS = new Set(['success', 'info', 'warning', 'error']);

/** A flash whose message may be a catalogue key with parameters. */
export type PageFlash = Flash;

export interface NavLink {
  label: string;
  path: string;
  current: boolean;
  /** A count shown beside the label (unread notifications). */
  count?: number;
}

/** What every page's layout and view get besides the handler's data. */
export interface PageContext {
  user: SignedInUser | null;
  navigation: NavLink[];
  /** Admin pages this user may open (the admin menu). */
  adminMenu: NavLink[];
  csrf: string;
  flash: { kind: string; message: string } | null;
  locale: string;
  /** The languages people can choose, each named in itself. */
  languages: Array<{ code: string; name: string }>;
  /** The path of this request, for `?next=` links. */
  path: string;
  title?: string;
}

const ADMIN_PAGES = [
  { key: 'core.admin.menu.users', path: '/admin/users', permission: corePermissions.manageUsers.name },
  { key: 'core.admin.menu.roles', path: '/admin/roles', permission: corePermissions.manageRoles.name },
  { key: 'core.admin.menu.plugins', path: '/admin/plugins', permission: corePermissions.managePlugins.name },
  { key: 'core.admin.menu.themes', path: '/admin/themes', permission: corePermissions.manageTheme.name },
  { key: 'core.admin.menu.audit', path: '/admin/audit', permission: corePermissions.readAudit.name },
];

export function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] || '/';
}

/**
 * Builds the page context: the navigation (core's entries, then each enabled plugin's, filtered
 * by what the user holds), the CSRF token of this browser (its session, or the anonymous cookie,
 * set here when absent so forms work before sign-in), and the flash a redirect left.
 */
export class PageContextBuilder {
  constructor(
    private readonly views: ViewEngine,
    private readonly registry: PluginRegistry,
    private readonly permissions: PermissionsService,
    private readonly auth: AuthService,
    private readonly notifications: NotificationsService,
    private readonly secret: string,
  ) {}

  /**
   * The context of one page. `csrf` is the token the page is rendered with: by default this
   * browser's own (minted now for an anonymous visitor), or a placeholder the caller fills in.
   */
  async build(request: FastifyRequest, reply: FastifyReply, user: SignedInUser | null, via: string, locale: string, csrf?: string): Promise<PageContext> {
    const path = pathOf(request);
    const i18n = this.views.i18n;
    const held = new Set(this.permissions.permissionsOf(user ? [...user.roles, 'member'] : []));
    const current = (p: string) => (p === '/' ? path === '/' : path === p || path.startsWith(`${p}/`));
    const link = (label: string, p: string, count?: number): NavLink => ({ label, path: p, current: current(p), ...(count ? { count } : {}) });
    const navigation: NavLink[] = [link(i18n.t(locale, 'core.nav.spaces'), '/spaces')];
    for (const item of this.registry.navigation()) {
      if (!item.permission || held.has(item.permission)) navigation.push(link(i18n.t(locale, item.label), item.path));
    }
    if (user && held.has(corePermissions.useAccount.name)) {
      navigation.push(link(i18n.t(locale, 'core.nav.notifications'), '/notifications', await this.notifications.unread(user.id)));
    }
    const adminMenu = ADMIN_PAGES.filter((p) => held.has(p.permission)).map((p) => link(i18n.t(locale, p.key), p.path));
    if (adminMenu.length) navigation.push({ ...link(i18n.t(locale, 'core.nav.admin'), adminMenu[0].path), current: path.startsWith('/admin/') });
    return {
      user,
      navigation,
      adminMenu,
      csrf: csrf ?? this.csrfFor(request, reply, via),
      flash: this.takeFlash(request, reply, locale),
      locale,
      languages: i18n.locales.map((code) => ({ code, name: i18n.t(code, 'core.language.name') })),
      path,
    };
  }

  /** This browser's CSRF token (its session's, or its anonymous cookie's, set here when absent). */
  csrfFor(request: FastifyRequest, reply: FastifyReply, via: string): string {
    const session = via === 'session' ? request.cookies?.[SESSION_COOKIE] : undefined;
    let basis = session ?? request.cookies?.[ANON_COOKIE];
    if (!basis) {
      basis = this.auth.newAnonymousId();
      setCookie(reply, request, ANON_COOKIE, basis, ANON_SECONDS);
    }
    return this.auth.csrfToken(basis);
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(`flash:${payload}`).digest('base64url');
  }

  /** Leaves a flash for the next page (HttpOnly, SameSite=Lax, signed, short-lived). */
  setFlash(request: FastifyRequest, reply: FastifyReply, flash: PageFlash): void {
    const payload = Buffer.from(JSON.stringify({ kind: flash.kind, message: flash.message, params: flash.params ?? {} })).toString('base64url');
    setCookie(reply, request, FLASH_COOKIE, `${payload}.${this.mac(payload)}`, FLASH_SECONDS);
  }

  /** Reads the flash (translated) and clears its cookie: it is shown once. */
  takeFlash(request: FastifyRequest, reply: FastifyReply, locale: string): { kind: string; message: string } | null {
    const raw = request.cookies?.[FLASH_COOKIE];
    if (!raw) return null;
    setCookie(reply, request, FLASH_COOKIE, '', 0);
    const [payload, mac] = raw.split('.');
    if (!payload || !mac) return null;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const flash = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { kind?: unknown; message?: unknown; params?: unknown };
      if (typeof flash.kind !== 'string' || !FLASH_KINDS.has(flash.kind) || typeof flash.message !== 'string') return null;
      const params = flash.params && typeof flash.params === 'object' ? (flash.params as MessageParams) : {};
      return { kind: flash.kind, message: this.views.i18n.t(locale, flash.message, params) };
    } catch {
      return null;
    }
  }
}
