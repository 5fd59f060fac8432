'use client';

import { useEffect, useRef } from 'react';
import { ko } from '@/app/_i18n/ko';

/** The keyboard shortcut overlay (opened with ?): every shortcut of the page it is opened on. */
export function ShortcutsHelp({ onClose, page }: { onClose: () => void; page: 'list' | 'detail' }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  const keys = page === 'list' ? ko.review.listKeys : ko.review.detailKeys;
  return (
    <div className="rv-help" role="dialog" aria-modal="true" aria-label={ko.review.shortcutsHelp} onClick={onClose}>
      <div className="panel" onClick={(e) => e.stopPropagation()}>
        <h2>
          {ko.review.shortcutsHelp} · {page === 'list' ? ko.review.shortcutsList : ko.review.shortcutsDetail}
        </h2>
        <table>
          <tbody>
            {keys.map(([k, label]) => (
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
