import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Alert, Api } from './api';

interface AlertsState {
  alerts: Alert[];
  connected: boolean;
  /** Bumped on every alert change: views showing deadlines refresh on it. */
  changes: number;
  unseenCritical: number;
  markSeen: () => void;
  acknowledge: (id: string, note: string) => Promise<void>;
  sound: boolean;
  setSound: (on: boolean) => void;
}

const Context = createContext<AlertsState | null>(null);
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

  const upsert = useCallback((alert: Alert) => setById((m) => new Map(m).set(alert.id, alert)), []);

  useEffect(() => {
    let closed = false;
    api.get<{ items: Alert[] }>('/v1/alerts?status=open&limit=200').then(
      ({ items }) => !closed && setById((m) => new Map([...items.map((a) => [a.id, a] as const), ...m])),
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
      acknowledge: async (id, note) => {
        upsert(await api.post<Alert>(`/v1/alerts/${encodeURIComponent(id)}/acknowledge`, note ? { note } : {}));
        setChanges((n) => n + 1);
      },
      sound,
      setSound: (on) => {
        localStorage.setItem('pathway.sound', on ? 'on' : 'off');
        setSoundState(on);
      },
    }),
    [byId, connected, changes, unseenCritical, api, upsert, sound],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useAlerts(): AlertsState {
  const state = useContext(Context);
  if (!state) throw new Error('useAlerts outside AlertsProvider');
  return state;
}
