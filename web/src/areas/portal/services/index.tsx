// 一网通办 (mounted at /portal/services): search, item and bundle guides, the apply wizard, my
// applications with their detail, public tracking, my ratings.
import { Route, Routes } from 'react-router';
import { NotFound } from '../../../shell/NotFound';
import Search from './Search';
import Guide, { BundleGuide } from './Guide';
import Apply from './Apply';
import Mine, { Track } from './Mine';
import Detail from './Detail';
import Ratings from './Ratings';
import { SignInFirst } from './SignInFirst';
import './services.css';

export default function ServicesRoutes() {
  return (
    <Routes>
      <Route index element={<Search />} />
      <Route path="items/:key" element={<Guide />} />
      <Route path="bundles/:key" element={<BundleGuide />} />
      <Route path="apply/bundle/:key" element={<SignInFirst><Apply kind="bundle" /></SignInFirst>} />
      <Route path="apply/:key" element={<SignInFirst><Apply kind="item" /></SignInFirst>} />
      <Route path="mine" element={<Mine />} />
      <Route path="mine/:id" element={<SignInFirst><Detail /></SignInFirst>} />
      <Route path="track" element={<Track />} />
      <Route path="ratings" element={<SignInFirst><Ratings /></SignInFirst>} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
