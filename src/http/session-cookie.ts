import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SESSION_POLICY } from '../app/sessions.ts';

/** The name of the dashboard's session cookie. */
export const SESSION_COOKIE = 'chorus_session';

/**
 * Sets the session cookie: httpOnly (no script reads it), SameSite=Lax (not sent on another
 * site's POST; a link from an email still opens the dashboard signed in), Secure over HTTPS.
 */
export function setSessionCookie(c: Context, token: string, isSecure: boolean): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isSecure,
    path: '/',
    maxAge: Math.floor(SESSION_POLICY.lifetimeMs / 1000),
  });
}

/** Tells the browser to drop the session cookie. */
export function clearSessionCookie(c: Context, isSecure: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isSecure, httpOnly: true, sameSite: 'Lax' });
}

/** The session token the browser sent, if any. */
export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE) || undefined;
}
