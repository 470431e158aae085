import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Alert, Api } from './api';

interface AlertsState {
  alerts: Alert[];
  connected: boolean;
  /** Bumped on every alert change: views showing deadlines refresh on it. */
  changes: number;
  unseenCritical: number;
  markSeen: () => void;
  /** Takes the alerts with one note (POST /v1/alerts/acknowledge, one request per 100); resolves to how many. */
  acknowledge: (ids: string[], note: string) => Promise<number>;
  /** Loads the acknowledged alerts (the inbox's Kvitterede tab); the stream keeps them live after. */
  loadAcknowledged: () => Promise<void>;
  /** The server's time minus this browser's, from the last list read: overdue is counted on the server's clock. */
  clockOffsetMs: number;
  sound: boolean;
  setSound: (on: boolean) => void;
}

const Context = createContext<AlertsState | null>(null);
/** As POST /v1/alerts/acknowledge allows. */
const MOST_ACKNOWLEDGED_AT_ONCE = 100;
const TITLE = document.title;

/** A short two-tone beep (no sound file to fetch). */
function beep(): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.setValueAtTime(880, ctx.currentTime);
    osc.frequency.setValueAtTime(660, ctx.currentTime + 0.15);
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.3);
    osc.onended = () => void ctx.close();
  } catch {
    // no audio device: the title badge still tells
  }
}

/** The caller's open alerts: loaded once, then kept live from the server-sent stream. */
export function AlertsProvider({ api, children }: { api: Api; children: ReactNode }) {
  const [byId, setById] = useState(new Map<string, Alert>());
  const [connected, setConnected] = useState(false);
  const [changes, setChanges] = useState(0);
  const [unseenCritical, setUnseen] = useState(0);
  const [sound, setSoundState] = useState(() => localStorage.getItem('pathway.sound') !== 'off');
  const soundRef = useRef(sound);
  soundRef.current = sound;

  const [clockOffsetMs, setClockOffset] = useState(0);

  const upsert = useCallback((alert: Alert) => setById((m) => new Map(m).set(alert.id, alert)), []);
  const upsertMany = useCallback(
    (alerts: Alert[]) => setById((m) => new Map([...m, ...alerts.map((a) => [a.id, a] as const)])),
    [],
  );

  // Stable: the inbox loads on switching to its tab, not on every alert change.
  const loadAcknowledged = useCallback(async () => {
    const { items, now } = await api.get<{ items: Alert[]; now: string }>('/v1/alerts?status=acknowledged&limit=200');
    setClockOffset(Date.parse(now) - Date.now());
    upsertMany(items);
  }, [api, upsertMany]);

  useEffect(() => {
    let closed = false;
    api.get<{ items: Alert[]; now: string }>('/v1/alerts?status=open&limit=200').then(
      ({ items, now }) => {
        if (closed) return;
        setClockOffset(Date.parse(now) - Date.now());
        setById((m) => new Map([...items.map((a) => [a.id, a] as const), ...m]));
      },
      () => undefined,
    );
    const source = api.alertStream();
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener('alert', (e) => {
      const { event, alert } = JSON.parse((e as MessageEvent<string>).data) as { event: string; alert: Alert };
      upsert(alert);
      setChanges((n) => n + 1);
      if ((event === 'raised' || event === 'resent') && alert.severity === 'critical' && alert.status === 'open') {
        setUnseen((n) => n + 1);
        if (soundRef.current) beep();
      }
    });
    return () => {
      closed = true;
      source.close();
    };
  }, [api, upsert]);

  useEffect(() => {
    document.title = unseenCritical > 0 ? `(${unseenCritical}) ${TITLE}` : TITLE;
  }, [unseenCritical]);

  const value = useMemo<AlertsState>(
    () => ({
      alerts: [...byId.values()].sort((a, b) => b.raisedAt.localeCompare(a.raisedAt)),
      connected,
      changes,
      unseenCritical,
      markSeen: () => setUnseen(0),
      acknowledge: async (ids, note) => {
        let taken = 0;
        // The API takes at most MOST_ACKNOWLEDGED_AT_ONCE alerts a request: a larger selection goes in parts.
        for (let i = 0; i < ids.length; i += MOST_ACKNOWLEDGED_AT_ONCE) {
          const { items } = await api.post<{ items: Alert[] }>('/v1/alerts/acknowledge', {
            alerts: ids.slice(i, i + MOST_ACKNOWLEDGED_AT_ONCE),
            ...(note && { note }),
          });
          upsertMany(items);
          taken += items.length;
        }
        setChanges((n) => n + 1);
        return taken;
      },
      loadAcknowledged,
      clockOffsetMs,
      sound,
      setSound: (on) => {
        localStorage.setItem('pathway.sound', on ? 'on' : 'off');
        setSoundState(on);
      },
    }),
    [byId, connected, changes, unseenCritical, api, upsertMany, loadAcknowledged, clockOffsetMs, sound],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useAlerts(): AlertsState {
  const state = useContext(Context);
  if (!state) throw new Error('useAlerts outside AlertsProvider');
  return state;
}
