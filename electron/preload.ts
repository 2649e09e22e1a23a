// Preload of the desktop shell: exposes exactly one function per API channel on window.gloss, and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { channels, events, type EventName, type EventPayloads, type IpcBridge } from '../annotations/api/contract.ts';

const bridge = Object.fromEntries(
  channels.map((channel) => [channel, (input: unknown) => ipcRenderer.invoke(channel, input)]),
) as Omit<IpcBridge, 'on'>;

const api: IpcBridge = {
  ...bridge,
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) {
    if (!events.includes(event)) throw new Error(`Unknown event ${event}`);
    // Only the payload crosses: the IPC event object (with its sender) stays in the preload.
    const wrapped = (_e: unknown, payload: EventPayloads[E]) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => ipcRenderer.removeListener(event, wrapped);
  },
};

contextBridge.exposeInMainWorld('gloss', api);
