import { useEffect, useState, type AnchorHTMLAttributes } from 'react';

/**
 * Routes are paths under /app (the API answers every one of them with the page), so the links in
 * alert emails and webhooks (`/app/cases/<id>`) open the case.
 */
export type Route =
  | { name: 'work' }
  | { name: 'alerts' }
  | { name: 'cases' }
  | { name: 'case'; id: string }
  | { name: 'reports' }
  | { name: 'referrals' }
  | { name: 'caseloads' }
  | { name: 'people' };

function parseRoute(pathname: string): Route {
  const [name, id] = pathname.replace(/^\/app\/?/, '').split('/');
  if (name === 'alerts' || name === 'reports' || name === 'referrals' || name === 'caseloads' || name === 'people')
    return { name };
  if (name === 'cases') return id ? { name: 'case', id: decodeURIComponent(id) } : { name: 'cases' };
  return { name: 'work' };
}

function href(route: Route): string {
  if (route.name === 'case') return `/app/cases/${encodeURIComponent(route.id)}`;
  return route.name === 'work' ? '/app/' : `/app/${route.name}`;
}

/** Shows another view without loading the page again; `replace`: in place of this one in the history. */
export function navigate(route: Route, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', href(route));
  else history.pushState(null, '', href(route));
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return route;
}

/** A link to a view: a plain click stays in the page; a middle click or Ctrl-click opens a tab. */
export function Link({ to, ...props }: { to: Route } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return (
    <a
      {...props}
      href={href(to)}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to);
      }}
    />
  );
}
