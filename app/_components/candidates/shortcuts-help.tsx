'use client';

import { useEffect, useRef } from 'react';
import { ko } from '@/app/_i18n/ko';

/** The keyboard shortcut overlay (opened with ?). */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="rv-help" role="dialog" aria-modal="true" aria-label={ko.review.shortcutsHelp} onClick={onClose}>
      <div className="panel" onClick={(e) => e.stopPropagation()}>
        <h2>{ko.review.shortcutsHelp}</h2>
        <table>
          <tbody>
            {ko.review.keys.map(([k, label]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" ref={close} onClick={onClose}>
          {ko.review.close}
        </button>
      </div>
    </div>
  );
}
